fn count(node: &Node, seen: &mut Vec<u64>) -> impl ::fiber_runtime::Fiber<Output = u64> {
    use ::fiber_runtime::__private as __fiber_rt;
    #[allow(dead_code, clippy::all)]
    fn count(node: &Node, seen: &mut Vec<u64>) -> u64 {
        seen.push(node.value);
        let mut total = 1;
        for c in &node.children {
            total += count(c, seen);
        }
        total
    }
    #[allow(non_camel_case_types)]
    enum __FiberFrame<P0, P1, T3, T2, T1> {
        Start { node: P0, seen: P1 },
        After0 { __fiber_t0: T3, total: T2, seen: T1 },
    }
    #[allow(non_camel_case_types)]
    enum __FiberRet<R0> {
        count(R0),
    }
    let __fiber_start = __FiberFrame::Start {
        node: node,
        seen: __fiber_rt::MutRef::new(seen),
    };
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
            __FiberFrame::Start { node: __fiber_p0, seen: __fiber_p1 } => {
                let __fiber_value = {
                    let node: &Node = __fiber_p0;
                    let seen: __fiber_rt::MutRef<'_, Vec<u64>> = __fiber_p1;
                    (unsafe { &mut *seen.as_ptr() }).push(node.value);
                    let mut total = 1;
                    {
                        ::fiber_runtime::__private::borrowed_through_reference(
                            &raw const node,
                        );
                        let mut __fiber_t0 = __fiber_rt::IntoIterator::into_iter(
                            &node.children,
                        );
                        loop {
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
                    total
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::count(__fiber_value))
            }
            __FiberFrame::After0 {
                __fiber_t0: __fiber_b3,
                total: __fiber_b2,
                seen: __fiber_b1,
            } => {
                let mut __fiber_b3 = __fiber_rt::Some(__fiber_b3);
                let mut __fiber_b2 = __fiber_rt::Some(__fiber_b2);
                let mut __fiber_b1 = __fiber_rt::Some(__fiber_b1);
                let __fiber_value = {
                    let seen = __fiber_rt::take_saved(&mut __fiber_b1);
                    let mut total = __fiber_rt::take_saved(&mut __fiber_b2);
                    {
                        let mut __fiber_t0 = __fiber_rt::take_saved(&mut __fiber_b3);
                        {
                            let mut __fiber_resumed0 = true;
                            loop {
                                if __fiber_resumed0 {
                                    __fiber_resumed0 = false;
                                    {
                                        {
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
