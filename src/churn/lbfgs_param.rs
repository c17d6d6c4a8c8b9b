//! The parameter vector argmin's L-BFGS works on in the logistic fit, with the vector
//! arithmetic linfa-logistic 0.8 gives its own (`ArgminParam`): the same operations in the same
//! order (dot products and norms as one running sum), so the solver takes the same steps.

use argmin_math::{
    ArgminAdd, ArgminDot, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul, ArgminSignum,
    ArgminSub, ArgminZeroLike,
};
use ndarray::{Array1, Zip};

/// Weights then intercept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Param(pub Array1<f64>);

/// a.b as one running sum in index order.
fn elem_dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    Zip::from(a).and(b).fold(0.0, |acc, &a, &b| acc + a * b)
}

impl ArgminSub<f64, Param> for Param {
    fn sub(&self, other: &f64) -> Param {
        Param(&self.0 - *other)
    }
}

impl ArgminSub<Param, Param> for Param {
    fn sub(&self, other: &Param) -> Param {
        Param(&self.0 - &other.0)
    }
}

impl ArgminAdd<f64, Param> for Param {
    fn add(&self, other: &f64) -> Param {
        Param(&self.0 + *other)
    }
}

impl ArgminAdd<Param, Param> for Param {
    fn add(&self, other: &Param) -> Param {
        Param(&self.0 + &other.0)
    }
}

impl ArgminDot<Param, f64> for Param {
    fn dot(&self, other: &Param) -> f64 {
        elem_dot(&self.0, &other.0)
    }
}

// linfa-logistic's L1 "norm" is the L2 norm; L-BFGS only asks for it with an L1 penalty,
// which kam does not set.
impl ArgminL1Norm<f64> for Param {
    fn l1_norm(&self) -> f64 {
        elem_dot(&self.0, &self.0).sqrt()
    }
}

impl ArgminL2Norm<f64> for Param {
    fn l2_norm(&self) -> f64 {
        elem_dot(&self.0, &self.0).sqrt()
    }
}

impl ArgminMul<f64, Param> for Param {
    fn mul(&self, other: &f64) -> Param {
        Param(&self.0 * *other)
    }
}

impl ArgminMul<Param, Param> for Param {
    fn mul(&self, other: &Param) -> Param {
        Param(&self.0 * &other.0)
    }
}

impl ArgminSignum for Param {
    fn signum(self) -> Param {
        self
    }
}

impl ArgminZeroLike for Param {
    fn zero_like(&self) -> Param {
        Param(Array1::zeros(self.0.len()))
    }
}

impl ArgminMinMax for Param {
    fn min(x: &Param, y: &Param) -> Param {
        Param(
            Zip::from(&x.0)
                .and(&y.0)
                .map_collect(|&a, &b| if a < b { a } else { b }),
        )
    }

    fn max(x: &Param, y: &Param) -> Param {
        Param(
            Zip::from(&x.0)
                .and(&y.0)
                .map_collect(|&a, &b| if a > b { a } else { b }),
        )
    }
}

impl ArgminMul<Param, Param> for f64 {
    fn mul(&self, other: &Param) -> Param {
        Param(&other.0 * *self)
    }
}
