//! Matrix products at the MLP's shapes (WORKLOADS.md §3).
//!
//! A training step of the 784-256-10 network is mostly matrix products. In
//! the layout of our `mlp` (a batch is `n × features`, a weight is
//! `out × in`, $Y = X W^\top + b$) one step of a batch of 128 needs
//!
//! * forward: $Z_1 = X W_1^\top$ (128 × 784 × 256) and $Z_2 = H W_2^\top$;
//! * backward: $\partial L / \partial W_2 = \delta_2^\top H$,
//!   $\partial L / \partial H = \delta_2 W_2$ and
//!   $\partial L / \partial W_1 = \delta_1^\top X$ (256 × 128 × 784; the
//!   input needs no gradient).
//!
//! [`Gemm`] holds the operands *as stored* and multiplies them through
//! transposed views, as the trainer does, into a preallocated output with
//! ndarray's `general_mat_mul` (no allocation inside the timed loop).

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

/// How the two stored operands enter the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// $A B^\top$ with $A$ stored `m × k` and $B$ stored `n × k`
    /// (a batch times a weight: the forward pass).
    TimesTransposed,
    /// $A^\top B$ with $A$ stored `k × m` and $B$ stored `k × n`
    /// (errors times inputs, summed over the batch: a weight gradient).
    TransposedTimes,
    /// $A B$ with $A$ stored `m × k` and $B$ stored `k × n`.
    Plain,
}

/// One product $C_{m \times n} = A_{m \times k} B_{k \times n}$ of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GemmShape {
    /// Short name used in tables and bench ids (`fwd1`, `grad_w1` …).
    pub name: &'static str,
    /// Rows of the result.
    pub m: usize,
    /// The summed dimension.
    pub k: usize,
    /// Columns of the result.
    pub n: usize,
    /// How the stored operands are combined.
    pub layout: Layout,
}

impl GemmShape {
    /// Floating-point operations of the product: $2mkn$ (one multiply and
    /// one add per term of each of the $mn$ sums).
    pub const fn flops(&self) -> f64 {
        2.0 * self.m as f64 * self.k as f64 * self.n as f64
    }

    /// `m×k×n`, as the tables print it.
    pub fn dims(&self) -> String {
        format!("{}x{}x{}", self.m, self.k, self.n)
    }
}

/// The five products of one training step of the 784-256-10 network on a
/// batch of 128, in the order the step runs them.
pub const MLP784_PRODUCTS: [GemmShape; 5] = [
    GemmShape {
        name: "fwd1",
        m: 128,
        k: 784,
        n: 256,
        layout: Layout::TimesTransposed,
    },
    GemmShape {
        name: "fwd2",
        m: 128,
        k: 256,
        n: 10,
        layout: Layout::TimesTransposed,
    },
    GemmShape {
        name: "grad_w2",
        m: 10,
        k: 128,
        n: 256,
        layout: Layout::TransposedTimes,
    },
    GemmShape {
        name: "grad_h",
        m: 128,
        k: 10,
        n: 256,
        layout: Layout::Plain,
    },
    GemmShape {
        name: "grad_w1",
        m: 256,
        k: 128,
        n: 784,
        layout: Layout::TransposedTimes,
    },
];

/// A large square product: what the GEMM kernel reaches when the matrices
/// are big enough to hide packing and threading overheads.
pub const SQUARE: GemmShape = GemmShape {
    name: "square",
    m: 1024,
    k: 1024,
    n: 1024,
    layout: Layout::Plain,
};

/// Floating-point operations of one training step's products
/// (the sum over [`MLP784_PRODUCTS`], about $1.05 \cdot 10^8$).
pub fn mlp784_step_flops() -> f64 {
    MLP784_PRODUCTS.iter().map(GemmShape::flops).sum()
}

/// Stored operands and a preallocated result for one [`GemmShape`].
#[derive(Debug, Clone)]
pub struct Gemm {
    shape: GemmShape,
    a: Array2<f64>,
    b: Array2<f64>,
    c: Array2<f64>,
}

impl Gemm {
    /// Operands with standard normal entries drawn from `seed`, stored as
    /// [`Layout`] says, and a zeroed `m × n` result.
    pub fn new(shape: GemmShape, seed: u64) -> Self {
        let GemmShape { m, k, n, .. } = shape;
        let (a_dim, b_dim) = match shape.layout {
            Layout::TimesTransposed => ((m, k), (n, k)),
            Layout::TransposedTimes => ((k, m), (k, n)),
            Layout::Plain => ((m, k), (k, n)),
        };
        let mut rng = StdRng::seed_from_u64(seed);
        let mut draw = |dim| Array2::from_shape_simple_fn(dim, || StandardNormal.sample(&mut rng));
        let a = draw(a_dim);
        let b = draw(b_dim);
        Self {
            shape,
            a,
            b,
            c: Array2::zeros((m, n)),
        }
    }

    /// The product this holds.
    pub fn shape(&self) -> GemmShape {
        self.shape
    }

    /// $C \leftarrow A B$ through the stored layout (transposed views, no copy).
    pub fn run(&mut self) {
        match self.shape.layout {
            Layout::TimesTransposed => general_mat_mul(1.0, &self.a, &self.b.t(), 0.0, &mut self.c),
            Layout::TransposedTimes => general_mat_mul(1.0, &self.a.t(), &self.b, 0.0, &mut self.c),
            Layout::Plain => general_mat_mul(1.0, &self.a, &self.b, 0.0, &mut self.c),
        }
    }

    /// The result of the last [`run`](Self::run).
    pub fn output(&self) -> ArrayView2<'_, f64> {
        self.c.view()
    }

    /// The left factor $A$ as it enters the product (`m × k`).
    pub fn left(&self) -> ArrayView2<'_, f64> {
        match self.shape.layout {
            Layout::TransposedTimes => self.a.t(),
            _ => self.a.view(),
        }
    }

    /// The right factor $B$ as it enters the product (`k × n`).
    pub fn right(&self) -> ArrayView2<'_, f64> {
        match self.shape.layout {
            Layout::TimesTransposed => self.b.t(),
            _ => self.b.view(),
        }
    }
}

/// GFLOP/s of a product with `flops` operations taking `seconds`.
pub fn gflops(flops: f64, seconds: f64) -> f64 {
    flops / seconds / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    /// $C_{ij} = \sum_l A_{il} B_{lj}$, three loops, no library.
    fn naive(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
        let (m, k) = a.dim();
        let n = b.ncols();
        Array2::from_shape_fn((m, n), |(i, j)| (0..k).map(|l| a[[i, l]] * b[[l, j]]).sum())
    }

    #[test]
    fn every_layout_multiplies_the_factors_it_names() {
        for layout in [
            Layout::TimesTransposed,
            Layout::TransposedTimes,
            Layout::Plain,
        ] {
            let shape = GemmShape {
                name: "small",
                m: 3,
                k: 5,
                n: 4,
                layout,
            };
            let mut g = Gemm::new(shape, 1);
            assert_eq!((g.left().dim(), g.right().dim()), ((3, 5), (5, 4)));
            g.run();
            let expected = naive(g.left(), g.right());
            for (got, want) in g.output().iter().zip(&expected) {
                assert!((got - want).abs() < 1e-12, "{layout:?}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn the_mlp_products_chain_into_one_step() {
        // fwd1 gives H (128×256), fwd2 takes it; the gradients have the
        // shapes of the weights (out × in) and of H.
        let [fwd1, fwd2, grad_w2, grad_h, grad_w1] = MLP784_PRODUCTS;
        assert_eq!((fwd1.m, fwd1.n), (128, 256));
        assert_eq!((fwd2.m, fwd2.k, fwd2.n), (128, 256, 10));
        assert_eq!((grad_w2.m, grad_w2.n), (10, 256));
        assert_eq!((grad_h.m, grad_h.n), (128, 256));
        assert_eq!((grad_w1.m, grad_w1.n), (256, 784));
    }

    #[test]
    fn flops_of_a_step_match_the_workload_page() {
        assert_eq!(MLP784_PRODUCTS[0].flops(), 2.0 * 128.0 * 784.0 * 256.0);
        let step = mlp784_step_flops();
        assert!((step - 1.047e8).abs() < 1e5, "{step}");
        // 469 steps, the last of 96 samples: about 49 GFLOP per epoch
        let epoch = step * (468.0 + 96.0 / 128.0);
        assert!((epoch / 1e9 - 49.1).abs() < 0.1, "{epoch}");
        assert_eq!(gflops(2e9, 0.5), 4.0);
        assert_eq!(SQUARE.dims(), "1024x1024x1024");
    }
}
