//! Locals that a borrow holds across a recursive call.
//!
//! A machine moves a suspended caller's locals at every state change, so a reference to one of
//! them (`for x in &v { f(x); }`, `let r = &v;` read after a call, `if let Some(x) = &mut opt`)
//! would dangle after the first move. Such a local lives in a [`KeptLocal`] instead: a heap
//! allocation made where the local is declared and freed where native code drops it, at the end
//! of its scope. The frames move only the pointer, which is not a use of the place (a `Box`
//! would be: Stacked Borrows retags it as unique at every move), and the body names the place
//! itself, `(*v.as_ptr())`, so each access borrows it exactly as native code borrows the local:
//! shared where native code takes `&v`, unique where it takes `&mut v`.

use alloc::boxed::Box;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ptr::NonNull;

/// A local of a fiber fn kept at one heap address from its declaration to the end of its scope.
pub struct KeptLocal<T> {
    ptr: NonNull<T>,
    _owns: PhantomData<T>,
}

impl<T> KeptLocal<T> {
    /// Moves `value` to the heap.
    #[inline(always)]
    pub fn new(value: T) -> Self {
        KeptLocal { ptr: NonNull::from(Box::leak(Box::new(value))), _owns: PhantomData }
    }

    /// The local's place. Accessing it is sound wherever the native code accesses the local:
    /// the never-called shadow's borrow check proves those accesses, and every borrow, end
    /// before the local's scope does; the machine makes the same accesses in the same order to
    /// a place that does not move until this value drops, at that scope's end.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T> Drop for KeptLocal<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::leak` in `new` and is freed only here, once. The local's
        // scope ends here, so no borrow of it is left (the shadow's borrow check proves that of
        // the native code, whose accesses the machine makes).
        drop(unsafe { Box::from_raw(self.ptr.as_ptr()) });
    }
}

// SAFETY: a `KeptLocal<T>` owns a `T` as a `Box<T>` does.
unsafe impl<T: Send> Send for KeptLocal<T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for KeptLocal<T> {}

/// A field of a saved state, in a machine that keeps locals: the step gets the frame as an
/// argument, and an argument's references are protected for the whole call (Stacked and Tree
/// Borrows both say so), even those the code no longer reads, so a kept local could not be
/// freed in the step that resumes with a dead reference to it (`let r = &v; f(..); r[0]` and
/// `v` dropped at the end of the fn). Behind this union the references are not retagged as
/// the frame's; the state takes its fields out at once, as plain locals.
#[repr(transparent)]
pub struct Unprotected<T>(MaybeUninit<T>);

impl<T> Unprotected<T> {
    /// Wraps a field as it is saved.
    #[inline(always)]
    pub fn new(value: T) -> Self {
        Unprotected(MaybeUninit::new(value))
    }

    /// The field, as the resumed state restores it.
    #[inline(always)]
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: `new` is the only constructor, so the value is initialized, and `this` is not
        // dropped, so it is read once.
        unsafe { this.0.assume_init_read() }
    }

    /// The value's place, for an argument that points into the saved frame (`f(&mut acc)`).
    #[inline(always)]
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.0.as_mut_ptr()
    }
}

impl<T> Drop for Unprotected<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: initialized by `new`; `into_inner` does not let this run after it.
        unsafe { self.0.assume_init_drop() }
    }
}

/// What `#[fiber]` asserts about a local `T` that a borrow holds across a recursive call where
/// the code reads it by value (`g(v)`, `return v`): it stays in place until its scope ends, so
/// reading it by value copies it, and only a `Copy` value can be read so.
#[diagnostic::on_unimplemented(
    message = "this moves a `{T}` out of a local that a borrow holds across a recursive call",
    label = "moved here",
    note = "a local borrowed across a recursive call stays at one heap address until its scope ends, so that the borrow stays valid while the fiber's frames move; it cannot be moved out of",
    note = "to fix it, take the value and leave another in its place (`std::mem::take(&mut v)`), or clone it"
)]
pub trait CopiedOutOfKeptLocal<T> {
    /// A copy of `*value`.
    fn copy(value: &T) -> T;
}

#[diagnostic::do_not_recommend]
impl<T: Copy> CopiedOutOfKeptLocal<T> for crate::held::FrameLocal {
    #[inline(always)]
    fn copy(value: &T) -> T {
        *value
    }
}

/// A copy of the value of a [`KeptLocal`] read by value; compiles only when it is `Copy`: see
/// [`CopiedOutOfKeptLocal`].
#[inline(always)]
pub fn copied_out_of_kept_local<T>(value: &T) -> T
where
    crate::held::FrameLocal: CopiedOutOfKeptLocal<T>,
{
    <crate::held::FrameLocal as CopiedOutOfKeptLocal<T>>::copy(value)
}

/// A local that is a shared reference, borrowed through (`node.kids.iter()` across a call where
/// `node: &Node` came from a loop or a pattern): the borrow reaches the referent, which the
/// frames do not move, so the reference itself may move with them. It stays inline, with the
/// same place API as [`KeptLocal`] (an assignment to the local writes the cell).
pub struct InlineRef<'a, U: ?Sized> {
    r: core::cell::UnsafeCell<&'a U>,
}

impl<'a, U: ?Sized> InlineRef<'a, U> {
    /// The local's place, for the code that runs until the next call.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut &'a U {
        self.r.get()
    }
}

/// The probe of `keep_local!`: its value, taken by whichever impl method resolution picks.
pub struct Keep<T>(pub Option<T>);

/// Picked first, when the local is a shared reference: kept inline.
pub trait KeepByReference {
    /// The kept local.
    type Kept;
    /// Keeps the local.
    fn keep_local(self) -> Self::Kept;
}

impl<'a, U: ?Sized> KeepByReference for &mut Keep<&'a U> {
    type Kept = InlineRef<'a, U>;
    #[inline(always)]
    fn keep_local(self) -> InlineRef<'a, U> {
        InlineRef { r: core::cell::UnsafeCell::new(self.0.take().expect("kept once")) }
    }
}

/// Picked otherwise (after an autoref): kept on the heap.
pub trait KeepOnHeap {
    /// The kept local.
    type Kept;
    /// Keeps the local.
    fn keep_local(self) -> Self::Kept;
}

impl<T> KeepOnHeap for &mut &mut Keep<T> {
    type Kept = KeptLocal<T>;
    #[inline(always)]
    fn keep_local(self) -> KeptLocal<T> {
        KeptLocal::new(self.0.take().expect("kept once"))
    }
}

/// Keeps a local that is borrowed through across a call: inline when its type is a shared
/// reference (decided at compile time, by method resolution on the known type), on the heap
/// otherwise, and in generic code, where the type is a parameter.
#[doc(hidden)]
#[macro_export]
macro_rules! __fiber_keep_local {
    ($local:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::{KeepByReference as _, KeepOnHeap as _};
        (&mut $crate::__private::Keep($crate::__private::Some($local))).keep_local()
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn a_shared_reference_stays_inline_and_anything_else_goes_to_the_heap() {
        let data = vec![1u64, 2];
        let by_reference: InlineRef<'_, Vec<u64>> = crate::__fiber_keep_local!(&data);
        // SAFETY: the place of a live `InlineRef`, read while nothing writes it.
        assert_eq!(unsafe { (*by_reference.as_ptr()).len() }, 2);
        let owned: KeptLocal<Vec<u64>> = crate::__fiber_keep_local!(vec![3u64]);
        // SAFETY: the place of a live `KeptLocal`, written while nothing else borrows it.
        unsafe { (*owned.as_ptr()).push(4) };
        // SAFETY: as above, read.
        assert_eq!(unsafe { &*owned.as_ptr() }, &[3, 4]);
        let mut five = 5u64;
        let unique: KeptLocal<&mut u64> = crate::__fiber_keep_local!(&mut five);
        drop(unique);
        fn generic<T>(value: T) -> KeptLocal<T> {
            crate::__fiber_keep_local!(value)
        }
        let _: KeptLocal<&u64> = generic(&data[0]);
    }

    #[test]
    fn unprotected_drops_its_value_once() {
        let kept = Unprotected::new(vec![1u64]);
        let inner: Vec<u64> = kept.into_inner();
        assert_eq!(inner, [1]);
        drop(Unprotected::new(vec![2u64]));
    }
}
