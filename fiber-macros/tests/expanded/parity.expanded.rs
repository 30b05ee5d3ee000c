mod parity {
    pub fn is_even(n: u64) -> impl ::fiber_runtime::Fiber<Output = bool> {
        use ::fiber_runtime::__private as __fiber_rt;
        #[allow(non_camel_case_types)]
        enum __FiberFrame<IsEvenP0, IsOddP0> {
            IsEvenStart { n: IsEvenP0 },
            IsEvenAfter0 {},
            IsOddStart { n: IsOddP0 },
            IsOddAfter0 {},
        }
        #[allow(non_camel_case_types)]
        enum __FiberRet<R0, R1> {
            is_even(R0),
            is_odd(R1),
        }
        let __fiber_start = __FiberFrame::IsEvenStart { n: n };
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
            __FiberRet<bool, bool>,
            _,
        >(
            &__fiber_start,
            #[inline(always)]
            |mut __fiber_frame, __fiber_top, __fiber_slot| {
                '__fiber_tail: loop {
                    break '__fiber_tail match { __fiber_frame } {
                        __FiberFrame::IsEvenStart { n: __fiber_p0 } => {
                            let __fiber_value = {
                                let n: u64 = __fiber_p0;
                                let __fiber_w0 = __fiber_rt::TypeOf::of(&n);
                                if n == 0 {
                                    true
                                } else {
                                    {
                                        let __fiber_arg0: u64 = n - 1;
                                        if true && !__fiber_w0.needs_drop() {
                                            if __fiber_top.tail_calls_loop() {
                                                __fiber_frame = __FiberFrame::IsOddStart {
                                                    n: __fiber_arg0,
                                                };
                                                continue '__fiber_tail;
                                            }
                                            return __fiber_rt::Step::TailCall(__FiberFrame::IsOddStart {
                                                n: __fiber_arg0,
                                            });
                                        }
                                        __fiber_top.save(__FiberFrame::IsEvenAfter0 {});
                                        return __fiber_rt::Step::Call(__FiberFrame::IsOddStart {
                                            n: __fiber_arg0,
                                        });
                                    }
                                }
                            };
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_even(__fiber_value),
                            )
                        }
                        __FiberFrame::IsEvenAfter0 {} => {
                            let __fiber_value = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet:: { is_even, is_odd }
                            );
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_even(__fiber_value),
                            )
                        }
                        __FiberFrame::IsOddStart { n: __fiber_p0 } => {
                            let __fiber_value = {
                                let n: u64 = __fiber_p0;
                                let __fiber_w0 = __fiber_rt::TypeOf::of(&n);
                                if n == 0 {
                                    false
                                } else {
                                    {
                                        let __fiber_arg0: u64 = n - 1;
                                        if true && !__fiber_w0.needs_drop() {
                                            if __fiber_top.tail_calls_loop() {
                                                __fiber_frame = __FiberFrame::IsEvenStart {
                                                    n: __fiber_arg0,
                                                };
                                                continue '__fiber_tail;
                                            }
                                            return __fiber_rt::Step::TailCall(__FiberFrame::IsEvenStart {
                                                n: __fiber_arg0,
                                            });
                                        }
                                        __fiber_top.save(__FiberFrame::IsOddAfter0 {});
                                        return __fiber_rt::Step::Call(__FiberFrame::IsEvenStart {
                                            n: __fiber_arg0,
                                        });
                                    }
                                }
                            };
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_odd(__fiber_value),
                            )
                        }
                        __FiberFrame::IsOddAfter0 {} => {
                            let __fiber_value = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet:: { is_even, is_odd }
                            );
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_odd(__fiber_value),
                            )
                        }
                    };
                }
            },
        );
        __fiber_rt::machine::<
            _,
            __FiberRet<bool, bool>,
            _,
            _,
            _,
        >(
            __fiber_start,
            __fiber_step,
            |__fiber_output| match __fiber_output {
                __FiberRet::is_even(__fiber_output)
                | __FiberRet::is_odd(__fiber_output) => __fiber_output,
            },
        )
    }
    pub fn is_odd(n: u64) -> impl ::fiber_runtime::Fiber<Output = bool> {
        use ::fiber_runtime::__private as __fiber_rt;
        #[allow(non_camel_case_types)]
        enum __FiberFrame<IsEvenP0, IsOddP0> {
            IsEvenStart { n: IsEvenP0 },
            IsEvenAfter0 {},
            IsOddStart { n: IsOddP0 },
            IsOddAfter0 {},
        }
        #[allow(non_camel_case_types)]
        enum __FiberRet<R0, R1> {
            is_even(R0),
            is_odd(R1),
        }
        let __fiber_start = __FiberFrame::IsOddStart { n: n };
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
            __FiberRet<bool, bool>,
            _,
        >(
            &__fiber_start,
            #[inline(always)]
            |mut __fiber_frame, __fiber_top, __fiber_slot| {
                '__fiber_tail: loop {
                    break '__fiber_tail match { __fiber_frame } {
                        __FiberFrame::IsEvenStart { n: __fiber_p0 } => {
                            let __fiber_value = {
                                let n: u64 = __fiber_p0;
                                let __fiber_w0 = __fiber_rt::TypeOf::of(&n);
                                if n == 0 {
                                    true
                                } else {
                                    {
                                        let __fiber_arg0: u64 = n - 1;
                                        if true && !__fiber_w0.needs_drop() {
                                            if __fiber_top.tail_calls_loop() {
                                                __fiber_frame = __FiberFrame::IsOddStart {
                                                    n: __fiber_arg0,
                                                };
                                                continue '__fiber_tail;
                                            }
                                            return __fiber_rt::Step::TailCall(__FiberFrame::IsOddStart {
                                                n: __fiber_arg0,
                                            });
                                        }
                                        __fiber_top.save(__FiberFrame::IsEvenAfter0 {});
                                        return __fiber_rt::Step::Call(__FiberFrame::IsOddStart {
                                            n: __fiber_arg0,
                                        });
                                    }
                                }
                            };
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_even(__fiber_value),
                            )
                        }
                        __FiberFrame::IsEvenAfter0 {} => {
                            let __fiber_value = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet:: { is_even, is_odd }
                            );
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_even(__fiber_value),
                            )
                        }
                        __FiberFrame::IsOddStart { n: __fiber_p0 } => {
                            let __fiber_value = {
                                let n: u64 = __fiber_p0;
                                let __fiber_w0 = __fiber_rt::TypeOf::of(&n);
                                if n == 0 {
                                    false
                                } else {
                                    {
                                        let __fiber_arg0: u64 = n - 1;
                                        if true && !__fiber_w0.needs_drop() {
                                            if __fiber_top.tail_calls_loop() {
                                                __fiber_frame = __FiberFrame::IsEvenStart {
                                                    n: __fiber_arg0,
                                                };
                                                continue '__fiber_tail;
                                            }
                                            return __fiber_rt::Step::TailCall(__FiberFrame::IsEvenStart {
                                                n: __fiber_arg0,
                                            });
                                        }
                                        __fiber_top.save(__FiberFrame::IsOddAfter0 {});
                                        return __fiber_rt::Step::Call(__FiberFrame::IsEvenStart {
                                            n: __fiber_arg0,
                                        });
                                    }
                                }
                            };
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_odd(__fiber_value),
                            )
                        }
                        __FiberFrame::IsOddAfter0 {} => {
                            let __fiber_value = __fiber_rt::returned!(
                                __fiber_slot, __FiberRet:: { is_even, is_odd }
                            );
                            __fiber_rt::ret(
                                __fiber_slot,
                                __FiberRet::is_odd(__fiber_value),
                            )
                        }
                    };
                }
            },
        );
        __fiber_rt::machine::<
            _,
            __FiberRet<bool, bool>,
            _,
            _,
            _,
        >(
            __fiber_start,
            __fiber_step,
            |__fiber_output| match __fiber_output {
                __FiberRet::is_even(__fiber_output)
                | __FiberRet::is_odd(__fiber_output) => __fiber_output,
            },
        )
    }
}
