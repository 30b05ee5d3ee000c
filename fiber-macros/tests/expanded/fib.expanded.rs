fn fib(n: u64) -> impl ::fiber_runtime::Fiber<Output = u64> {
    use ::fiber_runtime::__private as __fiber_rt;
    #[allow(non_camel_case_types)]
    enum __FiberFrame<P0, T0, T1> {
        Start { n: P0 },
        After0 { n: T0 },
        After1 { __fiber_t0: T1 },
    }
    #[allow(non_camel_case_types)]
    enum __FiberRet<R0> {
        fib(R0),
    }
    let __fiber_start = __FiberFrame::Start { n: n };
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
            __FiberFrame::Start { n: __fiber_p0 } => {
                let __fiber_value = {
                    let n: u64 = __fiber_p0;
                    if n < 2 {
                        n
                    } else {
                        let mut __fiber_t0: u64 = {
                            let __fiber_arg0: u64 = n - 1;
                            __fiber_top.save(__FiberFrame::After0 { n: n });
                            return __fiber_rt::Step::Call(__FiberFrame::Start {
                                n: __fiber_arg0,
                            });
                        };
                        let mut __fiber_t1: u64 = {
                            let __fiber_arg0: u64 = n - 2;
                            __fiber_top
                                .save(__FiberFrame::After1 {
                                    __fiber_t0: __fiber_t0,
                                });
                            return __fiber_rt::Step::Call(__FiberFrame::Start {
                                n: __fiber_arg0,
                            });
                        };
                        __fiber_t0 + __fiber_t1
                    }
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::fib(__fiber_value))
            }
            __FiberFrame::After0 { n: __fiber_b0 } => {
                let __fiber_value = {
                    let n = __fiber_b0;
                    {
                        let mut __fiber_t0 = __fiber_rt::returned!(
                            __fiber_slot, __FiberRet::fib
                        );
                        let mut __fiber_t1: u64 = {
                            let __fiber_arg0: u64 = n - 2;
                            __fiber_top
                                .save(__FiberFrame::After1 {
                                    __fiber_t0: __fiber_t0,
                                });
                            return __fiber_rt::Step::Call(__FiberFrame::Start {
                                n: __fiber_arg0,
                            });
                        };
                        __fiber_t0 + __fiber_t1
                    }
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::fib(__fiber_value))
            }
            __FiberFrame::After1 { __fiber_t0: __fiber_b1 } => {
                let __fiber_value = {
                    {
                        let mut __fiber_t0 = __fiber_b1;
                        let mut __fiber_t1 = __fiber_rt::returned!(
                            __fiber_slot, __FiberRet::fib
                        );
                        __fiber_t0 + __fiber_t1
                    }
                };
                __fiber_rt::ret(__fiber_slot, __FiberRet::fib(__fiber_value))
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
            __FiberRet::fib(__fiber_output) => __fiber_output,
        },
    )
}
