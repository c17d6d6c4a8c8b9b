//! Independent work on every core, results in order.
//!
//! Each result depends only on its item (or task index), so which thread computed it, and
//! when, never changes the output: a run on one core and on many gives the same bits.
//! [`map_tasks`]: tasks by index, each thread taking the next when it finishes one (uneven
//! costs); [`map_slice`]: items of a slice dealt round-robin; [`map_owned`]: owned items (such
//! as disjoint mutable chunks) in one consecutive run per core; [`join`]: two different
//! computations side by side.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// The threads to use: the cores this process may run on, asked once (the standard library
/// reads the affinity mask and the cgroup quota files on every call, which a k-means pass
/// calling it each time paid for).
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |t| t.get()))
}

/// `a()` and `b()` side by side (`a` on a new scoped thread, `b` on this one), both results.
/// A panic in `a` is raised again here, as a serial call would.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|s| {
        let h = s.spawn(a);
        let rb = b();
        let ra = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (ra, rb)
    })
}

/// `f(0)`, ..., `f(n - 1)` on up to `available_parallelism` threads, each thread taking the
/// next task when it finishes one (tasks of uneven cost keep both cores busy); the results
/// in task order. The first error (by task order) is returned.
pub fn map_tasks<T: Send>(n: usize, f: impl Fn(usize) -> Result<T> + Sync) -> Result<Vec<T>> {
    let threads = threads().min(n.max(1));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done: Vec<(usize, Result<T>)> = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let parts = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| h.join())
            .collect::<std::result::Result<Vec<_>, _>>()
    })
    .map_err(|_| Error::Internal("a worker thread failed".into()))?;
    let mut all: Vec<(usize, Result<T>)> = parts.into_iter().flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// `f` of every item, in order, computed on every core (item i on thread i mod threads, so
/// that items of uneven cost in sorted order spread evenly); on one thread when there are
/// fewer than `min_per_thread` items per thread.
pub fn map_slice<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads();
    if threads < 2 || items.len() < 2 * min_per_thread.max(1) {
        return items.iter().map(f).collect();
    }
    let f = &f;
    let parts: Vec<Vec<R>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| s.spawn(move || items.iter().skip(t).step_by(threads).map(f).collect()))
            .collect();
        // a panicking worker re-raises its panic here, as a serial loop would
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut iters: Vec<_> = parts.into_iter().map(Vec::into_iter).collect();
    (0..items.len())
        .filter_map(|i| iters[i % threads].next())
        .collect()
}

/// `f` of each item, in item order: the items split into one consecutive run per core
/// (`std::thread::scope`), so which thread computes an item never changes its result.
pub fn map_owned<I: Send, R: Send>(items: Vec<I>, f: impl Fn(I) -> R + Sync) -> Result<Vec<R>> {
    let per = items.len().div_ceil(threads()).max(1);
    let mut runs: Vec<Vec<I>> = Vec::with_capacity(threads());
    let mut it = items.into_iter();
    loop {
        let run: Vec<I> = it.by_ref().take(per).collect();
        if run.is_empty() {
            break;
        }
        runs.push(run);
    }
    let f = &f;
    let mut runs = runs.into_iter();
    // the first run on this thread, the others on new ones (one run: no thread at all)
    let Some(first) = runs.next() else {
        return Ok(Vec::new());
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .map(|run| s.spawn(move || run.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        // a panic here is a failed worker too, as on the other threads
        let mine = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            first.into_iter().map(f).collect::<Vec<R>>()
        }))?;
        let others = handles
            .into_iter()
            .map(|h| h.join())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(std::iter::once(mine).chain(others).flatten().collect())
    })
    .map_err(|_: Box<dyn std::any::Any + Send>| Error::Internal("a worker thread failed".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_task_order_and_the_first_error_wins() -> Result<()> {
        let squares = map_tasks(100, |i| Ok(i * i))?;
        assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
        assert!(map_tasks(0, Ok)?.is_empty());
        let e = map_tasks(10, |i| match i {
            3 | 7 => Err(Error::Usage(format!("task {i}"))),
            _ => Ok(i),
        });
        assert!(e.is_err_and(|e| e.to_string().contains("task 3")));
        Ok(())
    }

    #[test]
    fn join_gives_both_results_and_raises_a_panic_again() {
        let v: Vec<u64> = (1..=1000).collect();
        let (a, b) = join(|| v.iter().sum::<u64>(), || v.iter().max().copied());
        assert_eq!((a, b), (500_500, Some(1000)));
        let caught = std::panic::catch_unwind(|| join(|| panic!("in a"), || 1));
        assert!(caught.is_err());
    }

    #[test]
    fn map_slice_keeps_the_order() {
        let v: Vec<u64> = (0..10_007).collect();
        let got = map_slice(&v, 1, |x| x * 3);
        assert_eq!(got, v.iter().map(|x| x * 3).collect::<Vec<_>>());
    }
}
