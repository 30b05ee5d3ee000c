impl Expr {
    pub fn eval(&self) -> impl ::fiber_runtime::Fiber<Output = i64> {
        use ::fiber_runtime::__private as __fiber_rt;
        #[allow(unused_imports)]
        use __fiber_rt::{AnyMut as _, AnyRef as _};
        #[allow(non_camel_case_types)]
        enum __FiberFrame<SelfRef, T3, T4> {
            Start { __fiber_self: SelfRef },
            After0 { b: T3 },
            After1 { __fiber_t0: T4 },
        }
        #[allow(non_camel_case_types)]
        enum __FiberRet<R0> {
            eval(R0),
        }
        let __fiber_start = __FiberFrame::Start {
            __fiber_self: self,
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
            __FiberRet<i64>,
            _,
        >(
            &__fiber_start,
            #[inline(always)]
            |__fiber_frame, __fiber_top, __fiber_slot| match __fiber_frame {
                __FiberFrame::Start { __fiber_self: __fiber_p0 } => {
                    let __fiber_value = {
                        let __fiber_self: &Self = __fiber_p0;
                        match __fiber_self {
                            Expr::Num(n) => *n,
                            Expr::Add(a, b) => {
                                ::fiber_runtime::__private::borrowed_through_reference(
                                    &raw const a,
                                );
                                let mut __fiber_t0: i64 = {
                                    let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                        Self,
                                        _,
                                    >((a).__fiber_any_ref());
                                    __fiber_top.save(__FiberFrame::After0 { b: b });
                                    return __fiber_rt::Step::Call(__FiberFrame::Start {
                                        __fiber_self: __fiber_arg0,
                                    });
                                };
                                ::fiber_runtime::__private::borrowed_through_reference(
                                    &raw const b,
                                );
                                let mut __fiber_t1: i64 = {
                                    let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                        Self,
                                        _,
                                    >((b).__fiber_any_ref());
                                    __fiber_top
                                        .save(__FiberFrame::After1 {
                                            __fiber_t0: __fiber_t0,
                                        });
                                    return __fiber_rt::Step::Call(__FiberFrame::Start {
                                        __fiber_self: __fiber_arg0,
                                    });
                                };
                                __fiber_t0 + __fiber_t1
                            }
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::eval(__fiber_value))
                }
                __FiberFrame::After0 { b: __fiber_b3 } => {
                    let __fiber_value = {
                        {
                            let b = __fiber_b3;
                            let mut __fiber_t0 = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet::eval
                            );
                            ::fiber_runtime::__private::borrowed_through_reference(
                                &raw const b,
                            );
                            let mut __fiber_t1: i64 = {
                                let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                    Self,
                                    _,
                                >((b).__fiber_any_ref());
                                __fiber_top
                                    .save(__FiberFrame::After1 {
                                        __fiber_t0: __fiber_t0,
                                    });
                                return __fiber_rt::Step::Call(__FiberFrame::Start {
                                    __fiber_self: __fiber_arg0,
                                });
                            };
                            __fiber_t0 + __fiber_t1
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::eval(__fiber_value))
                }
                __FiberFrame::After1 { __fiber_t0: __fiber_b4 } => {
                    let __fiber_value = {
                        {
                            let mut __fiber_t0 = __fiber_b4;
                            let mut __fiber_t1 = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet::eval
                            );
                            __fiber_t0 + __fiber_t1
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::eval(__fiber_value))
                }
            },
        );
        __fiber_rt::machine::<
            _,
            __FiberRet<i64>,
            _,
            _,
            _,
        >(
            __fiber_start,
            __fiber_step,
            |__fiber_output| match __fiber_output {
                __FiberRet::eval(__fiber_output) => __fiber_output,
            },
        )
    }
}
