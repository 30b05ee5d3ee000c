//! `&mut` arguments kept in frames.
//!
//! A machine moves a suspended caller's locals at every state change, and moving a `&mut T` is a
//! use of it: it would invalidate the reborrow a child is working through (Stacked and Tree
//! Borrows both say so). So a `&mut T` parameter lives in frames as a [`MutRef`], a pointer that
//! moves without being used, and the body reaches the place through it (`&mut *r.as_ptr()`),
//! the same place, in the same order, as the native code. The native code itself, compiled as a
//! never-called shadow next to the machine, is what the borrow checker checks.

use core::marker::PhantomData;
use core::ptr::NonNull;

/// A `&'a mut T` parameter of a fiber fn, as its frames keep it. Not `'static`: it keeps `'a`.
pub struct MutRef<'a, T: ?Sized> {
    ptr: NonNull<T>,
    _borrow: PhantomData<&'a mut T>,
}

impl<'a, T: ?Sized> MutRef<'a, T> {
    /// Keeps `r` for the frames.
    #[inline(always)]
    pub fn new(r: &'a mut T) -> Self {
        MutRef { ptr: NonNull::from(r), _borrow: PhantomData }
    }

    /// The place `r` pointed to. Dereferencing it is sound where the native code's use of the
    /// parameter is: the shadow's borrow check proves the native accesses conflict-free, the
    /// machine makes the same accesses in the same order, and only the top frame runs.
    #[inline(always)]
    pub fn as_ptr(self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T: ?Sized> Clone for MutRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for MutRef<'_, T> {}

// SAFETY: a `MutRef<'a, T>` stands for a `&'a mut T`, which is `Send` when `T: Send` and `Sync`
// when `T: Sync`; the frames that hold it move between threads only as a whole computation.
unsafe impl<T: ?Sized + Send> Send for MutRef<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Sync> Sync for MutRef<'_, T> {}
