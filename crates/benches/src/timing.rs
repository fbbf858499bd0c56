//! Wall-clock timing the way `peers/torch_peer.py` does it: one warm-up
//! round, then timed rounds, reporting the best and the median.
//!
//! The best round is the one least disturbed by other processes (the
//! machine is shared: two cores for everyone), so tables compare best with
//! best; the median beside it shows how noisy the run was.

use std::time::Instant;

/// Seconds per round over several timed rounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// The shortest round, in seconds.
    pub best: f64,
    /// The median round, in seconds.
    pub median: f64,
    /// How many rounds were timed.
    pub rounds: usize,
}

impl Timing {
    /// The best and median of `seconds` (at least one round).
    ///
    /// # Panics
    /// If `seconds` is empty or holds a NaN: both are bugs of the caller,
    /// who measured them.
    pub fn from_rounds(seconds: &[f64]) -> Self {
        assert!(!seconds.is_empty(), "no timed rounds");
        let mut sorted = seconds.to_vec();
        sorted.sort_by(|a, b| a.partial_cmp(b).expect("a round's time is never NaN"));
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
        };
        Self {
            best: sorted[0],
            median,
            rounds: n,
        }
    }

    /// The same timing divided by `n` (per step instead of per epoch, per
    /// node instead of per graph …).
    pub fn per(self, n: usize) -> Self {
        let n = n as f64;
        Self {
            best: self.best / n,
            median: self.median / n,
            rounds: self.rounds,
        }
    }
}

/// Runs `round` once to warm up, then `rounds` more times under the clock.
pub fn time_rounds(rounds: usize, mut round: impl FnMut()) -> Timing {
    round();
    let seconds: Vec<f64> = (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            round();
            start.elapsed().as_secs_f64()
        })
        .collect();
    Timing::from_rounds(&seconds)
}

/// How many calls of `f` fill about `target_seconds` (at least 1), judged
/// from one call: short operations are repeated inside a round so that the
/// clock's resolution and the loop's overhead do not matter.
pub fn repetitions_for(target_seconds: f64, mut f: impl FnMut()) -> usize {
    let start = Instant::now();
    f();
    let once = start.elapsed().as_secs_f64().max(1e-9);
    ((target_seconds / once).ceil() as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_and_median_of_odd_and_even_counts() {
        let cases: [(&[f64], f64, f64); 3] = [
            (&[3.0, 1.0, 2.0], 1.0, 2.0),
            (&[4.0, 1.0, 3.0, 2.0], 1.0, 2.5),
            (&[0.5], 0.5, 0.5),
        ];
        for (rounds, best, median) in cases {
            let t = Timing::from_rounds(rounds);
            assert_eq!((t.best, t.median, t.rounds), (best, median, rounds.len()));
        }
    }

    #[test]
    fn per_divides_both_times() {
        let t = Timing::from_rounds(&[2.0, 4.0, 6.0]).per(4);
        assert_eq!((t.best, t.median, t.rounds), (0.5, 1.0, 3));
    }

    #[test]
    fn rounds_are_warmed_up_then_timed() {
        let mut calls = 0;
        let t = time_rounds(3, || calls += 1);
        assert_eq!(calls, 4, "one warm-up round and three timed ones");
        assert_eq!(t.rounds, 3);
        assert!(t.best >= 0.0 && t.best <= t.median);
    }

    #[test]
    fn repetitions_fill_the_target_time() {
        let sleep = || std::thread::sleep(std::time::Duration::from_millis(2));
        let reps = repetitions_for(0.02, sleep);
        // 2 ms per call (a little more in practice): about 10 calls, never 0
        assert!((1..=10).contains(&reps), "{reps}");
        assert_eq!(repetitions_for(0.0, || ()), 1);
    }
}
