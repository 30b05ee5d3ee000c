impl Expr {
    pub fn eval(&self) -> impl ::fiber_runtime::Fiber<Output = i64> {
        #[allow(unused_imports)]
        use ::fiber_runtime::__private::{AnyMut as _, AnyRef as _};
        #[allow(non_camel_case_types)]
        enum __FiberFrame<P0, T3, T4> {
            Start { __fiber_self: P0 },
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
        let __fiber_step = ::fiber_runtime::__private::step_fn::<
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
                                let __fiber_t0: i64 = {
                                    let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                        Self,
                                        _,
                                    >((a).__fiber_any_ref());
                                    __fiber_top.save(__FiberFrame::After0 { b: b });
                                    return ::fiber_runtime::__private::Step::Call(__FiberFrame::Start {
                                        __fiber_self: __fiber_arg0,
                                    });
                                };
                                ::fiber_runtime::__private::borrowed_through_reference(
                                    &raw const b,
                                );
                                let __fiber_t1: i64 = {
                                    let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                        Self,
                                        _,
                                    >((b).__fiber_any_ref());
                                    __fiber_top
                                        .save(__FiberFrame::After1 {
                                            __fiber_t0: __fiber_t0,
                                        });
                                    return ::fiber_runtime::__private::Step::Call(__FiberFrame::Start {
                                        __fiber_self: __fiber_arg0,
                                    });
                                };
                                __fiber_t0 + __fiber_t1
                            }
                        }
                    };
                    {
                        *__fiber_slot = ::fiber_runtime::__private::Some(
                            __FiberRet::eval(__fiber_value),
                        );
                        ::fiber_runtime::__private::Step::Return
                    }
                }
                __FiberFrame::After0 { b: __fiber_b3 } => {
                    let __fiber_value = {
                        {
                            let b = __fiber_b3;
                            let __fiber_t0 = {
                                let ::fiber_runtime::__private::Some(
                                    __FiberRet::eval(__fiber_returned),
                                ) = __fiber_slot.take() else {
                                    ::fiber_runtime::__private::unreachable!()
                                };
                                __fiber_returned
                            };
                            ::fiber_runtime::__private::borrowed_through_reference(
                                &raw const b,
                            );
                            let __fiber_t1: i64 = {
                                let __fiber_arg0: &Self = ::fiber_runtime::__private::receiver_ref::<
                                    Self,
                                    _,
                                >((b).__fiber_any_ref());
                                __fiber_top
                                    .save(__FiberFrame::After1 {
                                        __fiber_t0: __fiber_t0,
                                    });
                                return ::fiber_runtime::__private::Step::Call(__FiberFrame::Start {
                                    __fiber_self: __fiber_arg0,
                                });
                            };
                            __fiber_t0 + __fiber_t1
                        }
                    };
                    {
                        *__fiber_slot = ::fiber_runtime::__private::Some(
                            __FiberRet::eval(__fiber_value),
                        );
                        ::fiber_runtime::__private::Step::Return
                    }
                }
                __FiberFrame::After1 { __fiber_t0: __fiber_b4 } => {
                    let __fiber_value = {
                        {
                            let __fiber_t0 = __fiber_b4;
                            let __fiber_t1 = {
                                let ::fiber_runtime::__private::Some(
                                    __FiberRet::eval(__fiber_returned),
                                ) = __fiber_slot.take() else {
                                    ::fiber_runtime::__private::unreachable!()
                                };
                                __fiber_returned
                            };
                            __fiber_t0 + __fiber_t1
                        }
                    };
                    {
                        *__fiber_slot = ::fiber_runtime::__private::Some(
                            __FiberRet::eval(__fiber_value),
                        );
                        ::fiber_runtime::__private::Step::Return
                    }
                }
            },
        );
        ::fiber_runtime::__private::machine::<
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
