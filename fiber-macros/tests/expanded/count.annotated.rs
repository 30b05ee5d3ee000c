// The expansion of `count.rs`, with comments on each generated item; a test checks that
// without its comments this file is the expansion itself.
//
// The public fn keeps the user's name, generics and parameters, and returns the fiber: a value
// that runs nothing until `fiber_runtime::run` (or a `Runner`) drives it.
fn count(node: &Node, seen: &mut Vec<u64>) -> impl ::fiber_runtime::Fiber<Output = u64> {
    // Generated code reaches the runtime through this one path, so a user's `mod core` or a
    // renamed dependency changes nothing.
    use ::fiber_runtime::__private as __fiber_rt;
    // The shadow: the fn as written, compiled and never called. The machine reaches `seen`
    // through a pointer, which the borrow checker cannot follow; this copy is what it checks, and
    // the machine makes the same accesses to the same places in the same order. Its recursive
    // call resolves to itself. Only a fn with a `&mut` parameter has one.
    #[allow(dead_code, clippy::all)]
    fn count(node: &Node, seen: &mut Vec<u64>) -> u64 {
        seen.push(node.value);
        let mut total = 1;
        for c in &node.children {
            total += count(c, seen);
        }
        total
    }
    // The frame: one variant per state. `Start` holds the arguments; `After0`, the state after
    // the recursive call (resume point 0), holds what the code after the call still needs: the
    // loop's iterator, `total`, `seen`. Each field's type is a parameter, inferred from the code
    // that builds the variant: no type is written that the user did not write.
    #[allow(non_camel_case_types)]
    enum __FiberFrame<P0, P1, T3, T2, T1> {
        Start { node: P0, seen: P1 },
        After0 { __fiber_t0: T3, total: T2, seen: T1 },
    }
    // What a finished frame leaves in the return slot: one variant per fn of the group.
    #[allow(non_camel_case_types)]
    enum __FiberRet<R0> {
        count(R0),
    }
    // The start state. A `&mut` argument travels as a `MutRef`: a pointer that keeps the
    // borrow's lifetime, and that moving a frame does not invalidate.
    let __fiber_start = __FiberFrame::Start {
        node: node,
        seen: __fiber_rt::MutRef::new(seen),
    };
    // The step: given the running frame, the `Top` (its slot on the heap stack) and the return
    // slot, it runs the frame's code up to the next recursive call or return. The lints are those
    // of code copies that one state never reaches.
    #[allow(
        unreachable_code,
        unreachable_patterns,
        unused_variables,
        unused_mut,
        unused_labels,
        unused_unsafe,
        unused_braces,
        unused_parens,
        clippy::all,
        clippy::pedantic
    )]
    let __fiber_step = __fiber_rt::step_fn::<
        _,
        __FiberRet<u64>,
        _,
    >(
        &__fiber_start,
        #[inline(always)]
        |__fiber_frame, __fiber_top, __fiber_slot| match __fiber_frame {
            // The start state runs the whole body, rebinding the parameters by their names.
            __FiberFrame::Start { node: __fiber_p0, seen: __fiber_p1 } => {
                let __fiber_value = {
                    let node: &Node = __fiber_p0;
                    let seen: __fiber_rt::MutRef<'_, Vec<u64>> = __fiber_p1;
                    // `seen.push(..)`: each use of a `&mut` parameter is the same place, through
                    // the pointer (the native implicit reborrow).
                    (unsafe { &mut *seen.as_ptr() }).push(node.value);
                    let mut total = 1;
                    {
                        // `for c in &node.children`: the iterator borrows through `node`, which must
                        // be a reference for the iterator to outlive the frame's moves; this
                        // checks it, with an error on `node` if it is not.
                        ::fiber_runtime::__private::borrowed_through_reference(
                            &raw const node,
                        );
                        // The `for` loop as a `loop` over an iterator kept in the frame, so that
                        // the loop resumes on the same iteration.
                        let mut __fiber_t0 = __fiber_rt::IntoIterator::into_iter(
                            &node.children,
                        );
                        loop {
                            let c = match __fiber_rt::Iterator::next(&mut __fiber_t0) {
                                __fiber_rt::Some(__fiber_next) => __fiber_next,
                                __fiber_rt::None => break,
                            };
                            {
                                // The call site: the arguments first, in source order, then the
                                // live bindings saved into this frame's slot, then the callee
                                // pushed. The block has the callee's return type, which types
                                // the code after it in this copy, never reached.
                                let mut __fiber_t1: u64 = {
                                    let __fiber_arg0: &Node = c;
                                    let __fiber_arg1: &mut Vec<u64> = (unsafe {
                                        &mut *seen.as_ptr()
                                    });
                                    let __fiber_arg1 = __fiber_rt::MutRef::new(__fiber_arg1);
                                    __fiber_top
                                        .save(__FiberFrame::After0 {
                                            __fiber_t0: __fiber_t0,
                                            total: total,
                                            seen: seen,
                                        });
                                    return __fiber_rt::Step::Call(__FiberFrame::Start {
                                        node: __fiber_arg0,
                                        seen: __fiber_arg1,
                                    });
                                };
                                total += __fiber_t1;
                            }
                        }
                    }
                    total
                };
                // The body's value into the return slot; the frame is popped.
                __fiber_rt::ret(__fiber_slot, __FiberRet::count(__fiber_value))
            }
            // The state after the call: the code that follows it, rebuilt around it.
            __FiberFrame::After0 {
                __fiber_t0: __fiber_b3,
                total: __fiber_b2,
                seen: __fiber_b1,
            } => {
                // Saved bindings are restored at the top of the scope that declared them. Inside a
                // loop they come out of an `Option`, since the borrow checker cannot see that
                // the branch that restores them runs once.
                let mut __fiber_b3 = __fiber_rt::Some(__fiber_b3);
                let mut __fiber_b2 = __fiber_rt::Some(__fiber_b2);
                let mut __fiber_b1 = __fiber_rt::Some(__fiber_b1);
                let __fiber_value = {
                    let seen = __fiber_rt::take_saved(&mut __fiber_b1);
                    let mut total = __fiber_rt::take_saved(&mut __fiber_b2);
                    {
                        let mut __fiber_t0 = __fiber_rt::take_saved(&mut __fiber_b3);
                        {
                            // The loop resumes in the middle of an iteration: the first pass runs
                            // the rest of the current one, the next passes whole iterations.
                            let mut __fiber_resumed0 = true;
                            loop {
                                if __fiber_resumed0 {
                                    __fiber_resumed0 = false;
                                    {
                                        {
                                            // The callee's value, out of the return slot.
                                            let mut __fiber_t1 = __fiber_rt::returned!(
                                                __fiber_slot, __FiberRet::count
                                            );
                                            total += __fiber_t1;
                                        }
                                    }
                                } else {
                                    let c = match __fiber_rt::Iterator::next(&mut __fiber_t0) {
                                        __fiber_rt::Some(__fiber_next) => __fiber_next,
                                        __fiber_rt::None => break,
                                    };
                                    {
                                        let mut __fiber_t1: u64 = {
                                            let __fiber_arg0: &Node = c;
                                            let __fiber_arg1: &mut Vec<u64> = (unsafe {
                                                &mut *seen.as_ptr()
                                            });
                                            let __fiber_arg1 = __fiber_rt::MutRef::new(__fiber_arg1);
                                            __fiber_top
                                                .save(__FiberFrame::After0 {
                                                    __fiber_t0: __fiber_t0,
                                                    total: total,
                                                    seen: seen,
                                                });
                                            return __fiber_rt::Step::Call(__FiberFrame::Start {
                                                node: __fiber_arg0,
                                                seen: __fiber_arg1,
                                            });
                                        };
                                        total += __fiber_t1;
                                    }
                                }
                            }
                        }
                    }
                    total
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::count(__fiber_value))
            }
        },
    );
    // The fiber: the start frame, the step, and how the return slot's value becomes the fn's
    // output.
    __fiber_rt::machine::<
        _,
        __FiberRet<u64>,
        _,
        _,
        _,
    >(
        __fiber_start,
        __fiber_step,
        |__fiber_output| match __fiber_output {
            __FiberRet::count(__fiber_output) => __fiber_output,
        },
    )
}
