fn tree_sum(node: &Node) -> impl ::fiber_runtime::Fiber<Output = u64> {
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
    let __fiber_step = ::fiber_runtime::__private::step_fn::<
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
                        let mut __fiber_t0 = ::fiber_runtime::__private::IntoIterator::into_iter(
                            &node.children,
                        );
                        loop {
                            let c = match ::fiber_runtime::__private::Iterator::next(
                                &mut __fiber_t0,
                            ) {
                                ::fiber_runtime::__private::Some(__fiber_next) => {
                                    __fiber_next
                                }
                                ::fiber_runtime::__private::None => break,
                            };
                            {
                                let __fiber_t1: u64 = {
                                    let __fiber_arg0: &Node = c;
                                    __fiber_top
                                        .save(__FiberFrame::After0 {
                                            __fiber_t0: __fiber_t0,
                                            total: total,
                                        });
                                    return ::fiber_runtime::__private::Step::Call(__FiberFrame::Start {
                                        node: __fiber_arg0,
                                    });
                                };
                                total += __fiber_t1;
                            }
                        }
                    }
                    total
                };
                {
                    *__fiber_slot = ::fiber_runtime::__private::Some(
                        __FiberRet::tree_sum(__fiber_value),
                    );
                    ::fiber_runtime::__private::Step::Return
                }
            }
            __FiberFrame::After0 { __fiber_t0: __fiber_b2, total: __fiber_b1 } => {
                let mut __fiber_b2 = ::fiber_runtime::__private::Some(__fiber_b2);
                let mut __fiber_b1 = ::fiber_runtime::__private::Some(__fiber_b1);
                let __fiber_value = {
                    let mut total = match __fiber_b1.take() {
                        ::fiber_runtime::__private::Some(value) => value,
                        ::fiber_runtime::__private::None => {
                            ::fiber_runtime::__private::unreachable!()
                        }
                    };
                    {
                        let mut __fiber_t0 = match __fiber_b2.take() {
                            ::fiber_runtime::__private::Some(value) => value,
                            ::fiber_runtime::__private::None => {
                                ::fiber_runtime::__private::unreachable!()
                            }
                        };
                        {
                            let mut __fiber_resumed0 = true;
                            loop {
                                if __fiber_resumed0 {
                                    __fiber_resumed0 = false;
                                    {
                                        {
                                            let __fiber_t1 = {
                                                let ::fiber_runtime::__private::Some(
                                                    __FiberRet::tree_sum(__fiber_returned),
                                                ) = __fiber_slot.take() else {
                                                    ::fiber_runtime::__private::unreachable!()
                                                };
                                                __fiber_returned
                                            };
                                            total += __fiber_t1;
                                        }
                                    }
                                } else {
                                    let c = match ::fiber_runtime::__private::Iterator::next(
                                        &mut __fiber_t0,
                                    ) {
                                        ::fiber_runtime::__private::Some(__fiber_next) => {
                                            __fiber_next
                                        }
                                        ::fiber_runtime::__private::None => break,
                                    };
                                    {
                                        let __fiber_t1: u64 = {
                                            let __fiber_arg0: &Node = c;
                                            __fiber_top
                                                .save(__FiberFrame::After0 {
                                                    __fiber_t0: __fiber_t0,
                                                    total: total,
                                                });
                                            return ::fiber_runtime::__private::Step::Call(__FiberFrame::Start {
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
                {
                    *__fiber_slot = ::fiber_runtime::__private::Some(
                        __FiberRet::tree_sum(__fiber_value),
                    );
                    ::fiber_runtime::__private::Step::Return
                }
            }
        },
    );
    ::fiber_runtime::__private::machine::<
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
