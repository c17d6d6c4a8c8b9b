//! The switchboard: parse the command line, dispatch, turn the outcome into an exit code.
//! 0 success, 2 bad input or config, 1 internal error. A broken pipe counts as success, and
//! a panic becomes one line on stderr, never a backtrace.

use clap::Parser;

/// mimalloc rather than the system allocator: lower peak memory and faster allocation on the
/// multi-threaded Polars steps (see Cargo.toml and docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc asks the kernel for them on its
/// arenas, and the kernel then zeroes a whole 2 MB page at the first touch of any byte of it,
/// again each time freed memory is reused after mimalloc returned it: a third of `kam
/// segment`'s CPU on 1,000,000 customers was that zeroing. Measured (release, 2 cores):
/// `kam segment` 1M x 6 system time 0.5-1.0 s -> 0.35 s; `kam run` on the 100,000-customer
/// company 23.9 -> 21.8 s, system time 5.0 -> 2.0 s, peak 1.58 -> 1.47 GB (docs/performance.md).
/// Where the kernel refuses, nothing changes.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() {
    no_transparent_huge_pages();
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let msg = msg.lines().next().unwrap_or("").to_string();
        eprintln!("kam: internal error: {msg} (this is a bug in kam; please report it)");
    }));
    let cli = match kam::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = match std::panic::catch_unwind(|| kam::app::dispatch(cli)) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) if e.is_broken_pipe() => 0,
        Ok(Err(e)) => {
            eprintln!("kam: {e}");
            e.exit_code()
        }
        Err(_) => 1,
    };
    std::process::exit(code);
}
