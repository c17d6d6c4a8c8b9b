//! Independent tasks on every core, results in task order.
//!
//! Each task's result depends only on its index, so which thread ran it, and when, never
//! changes the output: a run on one core and on many gives the same bits.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// `f(0)`, ..., `f(n - 1)` on up to `available_parallelism` threads, each thread taking the
/// next task when it finishes one (tasks of uneven cost keep both cores busy); the results
/// in task order. The first error (by task order) is returned.
pub fn map_tasks<T: Send>(n: usize, f: impl Fn(usize) -> Result<T> + Sync) -> Result<Vec<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n.max(1));
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
}
