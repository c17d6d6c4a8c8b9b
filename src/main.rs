//! The switchboard: parse the command line, dispatch, turn the outcome into an exit code.
//! 0 success, 2 bad input or config, 1 internal error. A broken pipe counts as success, and
//! a panic becomes one line on stderr, never a backtrace.

use clap::Parser;

/// mimalloc rather than the system allocator: lower peak memory and faster allocation on the
/// multi-threaded Polars steps (see Cargo.toml and docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
