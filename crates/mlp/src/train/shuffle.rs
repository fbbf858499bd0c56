//! The order in which an epoch visits the training samples.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// The generator of epoch `epoch` (0-based) of a run seeded with `seed`:
/// ChaCha12 (`StdRng`) keyed with the seed, the epoch and a tag, so distinct
/// pairs never share a stream and the stream differs from
/// [`Init::rng`](crate::Init::rng)'s for the same seed.
pub fn epoch_rng(seed: u64, epoch: usize) -> StdRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(epoch as u64).to_le_bytes());
    key[16..24].copy_from_slice(b"mlp:shuf");
    StdRng::from_seed(key)
}

/// Writes epoch `epoch`'s visiting order into `order` (its length is the
/// number of samples): $0, 1, \dots$ shuffled by [`epoch_rng`], or in order
/// if `shuffle` is off. Allocates nothing.
///
/// **The RNG state is (seed, epoch).** Epoch $e$'s order is a shuffle of
/// $0 \dots n-1$ by a generator seeded from the pair $(\text{seed}, e)$
/// alone — not a generator that runs on from epoch to epoch. So a checkpoint
/// needs no hidden random state: the seed (in the config) and the epoch and
/// batch reached (in the progress) rebuild the exact order, and a resumed
/// run continues with the very batches the uninterrupted one would have
/// used.
pub fn epoch_order(seed: u64, epoch: usize, shuffle: bool, order: &mut [usize]) {
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    if shuffle {
        order.shuffle(&mut epoch_rng(seed, epoch));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(seed: u64, epoch: usize) -> Vec<usize> {
        let mut order = vec![0; 50];
        epoch_order(seed, epoch, true, &mut order);
        order
    }

    #[test]
    fn an_order_depends_only_on_seed_and_epoch() {
        assert_eq!(order(1, 3), order(1, 3));
        assert_ne!(order(1, 3), order(1, 4));
        assert_ne!(order(1, 3), order(2, 3));
        // not seed + epoch: (seed 1, epoch 0) and (seed 0, epoch 1) differ
        assert_ne!(order(1, 0), order(0, 1));
        let mut sorted = order(5, 2);
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>(), "a permutation");
        let mut plain = vec![9; 5];
        epoch_order(5, 2, false, &mut plain);
        assert_eq!(plain, [0, 1, 2, 3, 4]);
    }
}
