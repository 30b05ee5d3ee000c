//! Type-level checks and witnesses the expansion puts beside the user's code: the checks turn
//! what the machine cannot hold into messages on the user's tokens.

use core::marker::PhantomData;

/// What `#[fiber]` asserts about a local `L` that a binding kept across a recursive call, or an
/// argument of one, borrows through (`&v.field`, `&v[i]`, `v.iter()`): holds for references
/// only. Through a
/// reference the borrow reaches data outside the frame and may stay; through anything else it
/// borrows the local itself, which moves into the heap frame at the call.
///
/// The trait's `Self` is always [`FrameLocal`], so that rustc's message is this one and not a
/// suggestion to borrow the local.
#[diagnostic::on_unimplemented(
    message = "a borrow of this `{L}` outlives a recursive call, but the `{L}` is a local of the fiber fn",
    label = "borrowed here, and the borrow is passed to a recursive call or used after one",
    note = "at a recursive call, the locals still needed move into the heap frame, so nothing may borrow one across the call; borrowing through a reference (`&node.children` where `node: &Node`) is fine",
    note = "to fix it, iterate by value or by index, pass an owned value, copy what you need before the call, or borrow again after it"
)]
pub trait BorrowsThroughReference<L: ?Sized> {}

/// See [`BorrowsThroughReference`].
pub struct FrameLocal;

// Not listed in the error: the notes say the same in words.
#[diagnostic::do_not_recommend]
impl<T: ?Sized> BorrowsThroughReference<&T> for FrameLocal {}
#[diagnostic::do_not_recommend]
impl<T: ?Sized> BorrowsThroughReference<&mut T> for FrameLocal {}

/// Compiles only when `local` is a reference: see [`BorrowsThroughReference`].
#[inline(always)]
pub fn borrowed_through_reference<L>(_local: *const L)
where
    FrameLocal: BorrowsThroughReference<L>,
{
}

/// What `#[fiber]` asserts about a by-value binding `T` of a match arm whose guard holds a
/// recursive call: the guard runs on a copy, so that when it is false the matched value is left
/// whole for the next arms, as native guards leave it.
#[diagnostic::on_unimplemented(
    message = "a match guard with a recursive call needs its bindings to be `Copy`, and this one is a `{T}`",
    label = "bound by value here",
    note = "the guard runs on copies of the arm's bindings, so that a false guard leaves the matched value to the next arms, as native code does",
    note = "to fix it, move the condition into the arm's body as an `if`"
)]
pub trait GuardBindingIsCopy<T> {}

#[diagnostic::do_not_recommend]
impl<T: Copy> GuardBindingIsCopy<T> for FrameLocal {}

/// Compiles only when `binding` is `Copy`: see [`GuardBindingIsCopy`].
#[inline(always)]
pub fn guard_binding_is_copy<T>(_binding: &T)
where
    FrameLocal: GuardBindingIsCopy<T>,
{
}

/// What `#[fiber]` asserts about a value `T` taken by value out of a field of a local that a
/// later recursive call keeps (`insert(node.left, key)` with `node` used after the call): a
/// `Copy` value is copied, and anything else would leave the local partly moved, which the
/// call cannot move into the heap frame.
#[diagnostic::on_unimplemented(
    message = "this moves a `{T}` out of a local that the fiber keeps across a recursive call",
    label = "moved out of a field here",
    note = "at a recursive call the fiber moves the locals it still needs into its heap frame, and a partly moved local cannot move",
    note = "to fix it, take the value and leave another in its place: `.take()` on an `Option` field (`insert(node.left.take(), key)`, `if let Some(next) = n.next.take()`), or `std::mem::take(&mut local.field)`"
)]
pub trait MovedOutOfKeptLocal<T> {}

#[diagnostic::do_not_recommend]
impl<T: Copy> MovedOutOfKeptLocal<T> for FrameLocal {}

/// Compiles only when `value` is `Copy`: see [`MovedOutOfKeptLocal`].
#[inline(always)]
pub fn moved_out_of_kept_local<T>(_value: &T)
where
    FrameLocal: MovedOutOfKeptLocal<T>,
{
}

/// A zero-sized witness of a binding's type, taken where the binding is bound, so a tail call
/// can ask whether the type has drop glue without naming it.
pub struct TypeOf<T: ?Sized>(PhantomData<fn() -> *const T>);

impl<T: ?Sized> Clone for TypeOf<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for TypeOf<T> {}

impl<T: ?Sized> TypeOf<T> {
    /// The witness of `value`'s type.
    #[inline(always)]
    pub fn of(_value: &T) -> Self {
        TypeOf(PhantomData)
    }

    /// Whether dropping a `T` runs code: [`core::mem::needs_drop`].
    #[inline(always)]
    pub const fn needs_drop(self) -> bool {
        core::mem::needs_drop::<T>()
    }
}

/// Method-call syntax on any value, so that a recursive method call's receiver is auto-borrowed
/// and auto-dereferenced as in the native call: `x.__fiber_any_ref()`.
pub trait AnyRef {
    /// `self`, auto-borrowed.
    #[inline(always)]
    fn __fiber_any_ref(&self) -> &Self {
        self
    }
}

impl<T: ?Sized> AnyRef for T {}

/// What `#[fiber]` asserts about the receiver of a method call it takes for a recursive call:
/// it is the group's `S` (or a pointer to one), since the macro picks recursive calls by name and
/// argument count alone.
#[diagnostic::on_unimplemented(
    message = "this call has the name and argument count of a method of the `#[fiber]` impl, but its receiver is a `{Self}`, not a `{S}`",
    label = "taken for a recursive call",
    note = "`#[fiber]` sees no types: it takes every method call with the name and argument count of one of the impl's methods for a recursive call",
    note = "to call the other type's method, name it through its trait or type (`Iterator::sum(iter)`, `Vec::len(&v)`), or give it a turbofish (`.sum::<i64>()`)"
)]
pub trait ReceiverOf<S: ?Sized> {
    /// The `S` this receiver is or points to.
    fn receiver(&self) -> &S;
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for S {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for &S {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for &mut S {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for alloc::boxed::Box<S> {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for alloc::rc::Rc<S> {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverOf<S> for alloc::sync::Arc<S> {
    #[inline(always)]
    fn receiver(&self) -> &S {
        self
    }
}

/// The receiver of a recursive `&self` method call, as `&S`: see [`ReceiverOf`].
#[inline(always)]
pub fn receiver_ref<S: ?Sized, R: ?Sized + ReceiverOf<S>>(receiver: &R) -> &S {
    receiver.receiver()
}

/// What `#[fiber]` asserts about the receiver of a recursive `self` method call: it is the
/// group's `S`.
#[diagnostic::on_unimplemented(
    message = "this call has the name and argument count of a method of the `#[fiber]` impl, but its receiver is a `{Self}`, not a `{S}`",
    label = "taken for a recursive call",
    note = "`#[fiber]` sees no types: it takes every method call with the name and argument count of one of the impl's methods for a recursive call",
    note = "to call the other type's method, name it through its trait or type (`Iterator::sum(iter)`), or give it a turbofish (`.sum::<i64>()`)"
)]
pub trait ReceiverValOf<S> {
    /// The receiver, as the `S` it is.
    fn into_receiver(self) -> S;
}

#[diagnostic::do_not_recommend]
impl<S> ReceiverValOf<S> for S {
    #[inline(always)]
    fn into_receiver(self) -> S {
        self
    }
}

/// A `Box<S>` receiver moves its `S` out, as native method calls on a box do
/// (`left.into_sorted(out)` with `left: Box<Node>`).
#[diagnostic::do_not_recommend]
impl<S> ReceiverValOf<S> for alloc::boxed::Box<S> {
    #[inline(always)]
    fn into_receiver(self) -> S {
        *self
    }
}

/// The receiver of a recursive `self` method call: see [`ReceiverValOf`].
#[inline(always)]
pub fn receiver_val<S, R: ReceiverValOf<S>>(receiver: R) -> S {
    receiver.into_receiver()
}

/// [`AnyRef`] for `&mut self` methods: `x.__fiber_any_mut()`.
pub trait AnyMut {
    /// `self`, auto-borrowed mutably.
    #[inline(always)]
    fn __fiber_any_mut(&mut self) -> &mut Self {
        self
    }
}

impl<T: ?Sized> AnyMut for T {}

/// [`ReceiverOf`] for recursive `&mut self` method calls.
#[diagnostic::on_unimplemented(
    message = "this call has the name and argument count of a method of the `#[fiber]` impl, but its receiver is a `{Self}`, not a `{S}`",
    label = "taken for a recursive call",
    note = "`#[fiber]` sees no types: it takes every method call with the name and argument count of one of the impl's methods for a recursive call",
    note = "to call the other type's method, name it through its trait or type (`Vec::push(&mut v, x)`), or give it a turbofish"
)]
pub trait ReceiverMutOf<S: ?Sized> {
    /// The `S` this receiver is or points to.
    fn receiver_mut(&mut self) -> &mut S;
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverMutOf<S> for S {
    #[inline(always)]
    fn receiver_mut(&mut self) -> &mut S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverMutOf<S> for &mut S {
    #[inline(always)]
    fn receiver_mut(&mut self) -> &mut S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: ?Sized> ReceiverMutOf<S> for alloc::boxed::Box<S> {
    #[inline(always)]
    fn receiver_mut(&mut self) -> &mut S {
        self
    }
}

/// The receiver of a recursive `&mut self` method call, as `&mut S`: see [`ReceiverMutOf`].
#[inline(always)]
pub fn receiver_mut<S: ?Sized, R: ?Sized + ReceiverMutOf<S>>(receiver: &mut R) -> &mut S {
    receiver.receiver_mut()
}
