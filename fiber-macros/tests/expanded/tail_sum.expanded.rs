fn sum(xs: &[u64], acc: u64) -> impl ::fiber_runtime::Fiber<Output = u64> {
    use ::fiber_runtime::__private as __fiber_rt;
    #[allow(non_camel_case_types)]
    enum __FiberFrame<P0, P1> {
        Start { xs: P0, acc: P1 },
        After0 {},
    }
    #[allow(non_camel_case_types)]
    enum __FiberRet<R0> {
        sum(R0),
    }
    let __fiber_start = __FiberFrame::Start {
        xs: xs,
        acc: acc,
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
        |mut __fiber_frame, __fiber_top, __fiber_slot| {
            '__fiber_tail: loop {
                break '__fiber_tail match { __fiber_frame } {
                    __FiberFrame::Start { xs: __fiber_p0, acc: __fiber_p1 } => {
                        let __fiber_value = {
                            let xs: &[u64] = __fiber_p0;
                            let acc: u64 = __fiber_p1;
                            let __fiber_w0 = __fiber_rt::TypeOf::of(&xs);
                            let __fiber_w1 = __fiber_rt::TypeOf::of(&acc);
                            if xs.is_empty() {
                                return __fiber_rt::ret(__fiber_slot, __FiberRet::sum(acc));
                            }
                            ::fiber_runtime::__private::borrowed_through_reference(
                                &raw const xs,
                            );
                            {
                                let __fiber_arg0: &[u64] = &xs[1..];
                                let __fiber_arg1: u64 = acc + xs[0];
                                if true && !__fiber_w0.needs_drop()
                                    && !__fiber_w1.needs_drop()
                                {
                                    if __fiber_top.tail_calls_loop() {
                                        __fiber_frame = __FiberFrame::Start {
                                            xs: __fiber_arg0,
                                            acc: __fiber_arg1,
                                        };
                                        continue '__fiber_tail;
                                    }
                                    return __fiber_rt::Step::TailCall(__FiberFrame::Start {
                                        xs: __fiber_arg0,
                                        acc: __fiber_arg1,
                                    });
                                }
                                __fiber_top.save(__FiberFrame::After0 {});
                                return __fiber_rt::Step::Call(__FiberFrame::Start {
                                    xs: __fiber_arg0,
                                    acc: __fiber_arg1,
                                });
                            }
                        };
                        __fiber_rt::ret(__fiber_slot, __FiberRet::sum(__fiber_value))
                    }
                    __FiberFrame::After0 {} => {
                        let __fiber_value = __fiber_rt::returned!(
                            __fiber_slot, __FiberRet::sum
                        );
                        __fiber_rt::ret(__fiber_slot, __FiberRet::sum(__fiber_value))
                    }
                };
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
            __FiberRet::sum(__fiber_output) => __fiber_output,
        },
    )
}
