fn tree_sum(node: &Node) -> impl ::fiber_runtime::Fiber<Output = u64> {
    use ::fiber_runtime::__private as __fiber_rt;
    #[allow(non_camel_case_types)]
    enum __FiberFrame<P0, T2, T1> {
        Start { node: P0 },
        After0 { __fiber_t0: T2, total: T1 },
    }
    #[allow(non_camel_case_types)]
    enum __FiberRet<R0> {
        tree_sum(R0),
    }
    let __fiber_start = __FiberFrame::Start { node: node };
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
            __FiberFrame::Start { node: __fiber_p0 } => {
                let __fiber_value = {
                    let node: &Node = __fiber_p0;
                    let mut total = node.value;
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
                                    __fiber_top
                                        .save(__FiberFrame::After0 {
                                            __fiber_t0: __fiber_t0,
                                            total: total,
                                        });
                                    return __fiber_rt::Step::Call(__FiberFrame::Start {
                                        node: __fiber_arg0,
                                    });
                                };
                                total += __fiber_t1;
                            }
                        }
                    }
                    total
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::tree_sum(__fiber_value))
            }
            __FiberFrame::After0 { __fiber_t0: __fiber_b2, total: __fiber_b1 } => {
                let mut __fiber_b2 = __fiber_rt::Some(__fiber_b2);
                let mut __fiber_b1 = __fiber_rt::Some(__fiber_b1);
                let __fiber_value = {
                    let mut total = __fiber_rt::take_saved(&mut __fiber_b1);
                    {
                        let mut __fiber_t0 = __fiber_rt::take_saved(&mut __fiber_b2);
                        {
                            let mut __fiber_resumed0 = true;
                            loop {
                                if __fiber_resumed0 {
                                    __fiber_resumed0 = false;
                                    {
                                        {
                                            let mut __fiber_t1 = __fiber_rt::returned!(
                                                __fiber_slot, __FiberRet::tree_sum
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
                                            __fiber_top
                                                .save(__FiberFrame::After0 {
                                                    __fiber_t0: __fiber_t0,
                                                    total: total,
                                                });
                                            return __fiber_rt::Step::Call(__FiberFrame::Start {
                                                node: __fiber_arg0,
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
                __fiber_rt::ret(__fiber_slot, __FiberRet::tree_sum(__fiber_value))
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
            __FiberRet::tree_sum(__fiber_output) => __fiber_output,
        },
    )
}
