//! Stable stand-ins for the unstable traits behind `?`, used by generated code: inside the step
//! closure, `e?` must store the residual in the return slot rather than return from the closure.

use core::convert::Infallible;
use core::ops::ControlFlow;

/// `e?` splits `e` into the value to continue with or the residual to return.
pub trait Try {
    /// The value `e?` evaluates to.
    type Output;
    /// What `e?` returns early with.
    type Residual;
    /// Splits `self` into the value to continue with or the residual.
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

/// Builds the fn's return value from a residual, as `?` does (with `From` on errors).
pub trait FromResidual<R> {
    /// The value `return`ed for `residual`.
    fn from_residual(residual: R) -> Self;
}

impl<T, E> Try for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Ok(value) => ControlFlow::Continue(value),
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}

impl<T> Try for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Some(value) => ControlFlow::Continue(value),
            None => ControlFlow::Break(None),
        }
    }
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    #[inline(always)]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(From::from(error)),
            Ok(never) => match never {},
        }
    }
}

impl<T> FromResidual<Option<Infallible>> for Option<T> {
    #[inline(always)]
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}
