mod outline {
    pub fn section(
        s: &Section,
        depth: usize,
        out: &mut String,
    ) -> impl ::fiber_runtime::Fiber<Output = ()> {
        use ::fiber_runtime::__private as __fiber_rt;
        #[allow(unused_imports)]
        mod __fiber_shadow {
            use super::*;
            #[allow(dead_code, clippy::all)]
            fn section(s: &Section, depth: usize, out: &mut String) {
                self::heading(&s.title, depth, out);
                for sub in &s.children {
                    self::section(sub, depth + 1, out);
                }
            }
            #[allow(dead_code, clippy::all)]
            fn heading(title: &str, depth: usize, out: &mut String) {
                out.push_str(&"#".repeat(depth + 1));
                out.push(' ');
                out.push_str(title);
                out.push('\n');
            }
        }
        #[allow(non_camel_case_types)]
        enum __FiberFrame<
            SectionP0,
            SectionP1,
            SectionP2,
            SectionT2,
            SectionT1,
            SectionT0,
            SectionT3,
            HeadingP0,
            HeadingP1,
            HeadingP2,
        > {
            SectionStart { s: SectionP0, depth: SectionP1, out: SectionP2 },
            SectionAfter0 { out: SectionT2, depth: SectionT1, s: SectionT0 },
            SectionAfter1 { __fiber_t0: SectionT3, out: SectionT2, depth: SectionT1 },
            HeadingStart { title: HeadingP0, depth: HeadingP1, out: HeadingP2 },
        }
        #[allow(non_camel_case_types)]
        enum __FiberRet<R0, R1> {
            section(R0),
            heading(R1),
        }
        let __fiber_start = __FiberFrame::SectionStart {
            s: s,
            depth: depth,
            out: __fiber_rt::MutRef::new(out),
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
            __FiberRet<(), ()>,
            _,
        >(
            &__fiber_start,
            #[inline(always)]
            |__fiber_frame, __fiber_top, __fiber_slot| match __fiber_frame {
                __FiberFrame::SectionStart {
                    s: __fiber_p0,
                    depth: __fiber_p1,
                    out: __fiber_p2,
                } => {
                    let __fiber_value = {
                        let s: &Section = __fiber_p0;
                        let depth: usize = __fiber_p1;
                        let out: __fiber_rt::MutRef<'_, String> = __fiber_p2;
                        ::fiber_runtime::__private::borrowed_through_reference(
                            &raw const s,
                        );
                        let _: () = {
                            let __fiber_arg0: &str = &s.title;
                            let __fiber_arg1: usize = depth;
                            let __fiber_arg2: &mut String = (unsafe {
                                &mut *out.as_ptr()
                            });
                            let __fiber_arg2 = __fiber_rt::MutRef::new(__fiber_arg2);
                            __fiber_top
                                .save(__FiberFrame::SectionAfter0 {
                                    out: out,
                                    depth: depth,
                                    s: s,
                                });
                            return __fiber_rt::Step::Call(__FiberFrame::HeadingStart {
                                title: __fiber_arg0,
                                depth: __fiber_arg1,
                                out: __fiber_arg2,
                            });
                        };
                        {
                            ::fiber_runtime::__private::borrowed_through_reference(
                                &raw const s,
                            );
                            let mut __fiber_t0 = __fiber_rt::IntoIterator::into_iter(
                                &s.children,
                            );
                            loop {
                                let sub = match __fiber_rt::Iterator::next(
                                    &mut __fiber_t0,
                                ) {
                                    __fiber_rt::Some(__fiber_next) => __fiber_next,
                                    __fiber_rt::None => break,
                                };
                                {
                                    let _: () = {
                                        let __fiber_arg0: &Section = sub;
                                        let __fiber_arg1: usize = depth + 1;
                                        let __fiber_arg2: &mut String = (unsafe {
                                            &mut *out.as_ptr()
                                        });
                                        let __fiber_arg2 = __fiber_rt::MutRef::new(__fiber_arg2);
                                        __fiber_top
                                            .save(__FiberFrame::SectionAfter1 {
                                                __fiber_t0: __fiber_t0,
                                                out: out,
                                                depth: depth,
                                            });
                                        return __fiber_rt::Step::Call(__FiberFrame::SectionStart {
                                            s: __fiber_arg0,
                                            depth: __fiber_arg1,
                                            out: __fiber_arg2,
                                        });
                                    };
                                }
                            }
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::section(__fiber_value))
                }
                __FiberFrame::SectionAfter0 {
                    out: __fiber_b2,
                    depth: __fiber_b1,
                    s: __fiber_b0,
                } => {
                    let __fiber_value = {
                        let s = __fiber_b0;
                        let depth = __fiber_b1;
                        let out = __fiber_b2;
                        let _ = __fiber_rt::returned!(__fiber_slot, __FiberRet::heading);
                        {
                            ::fiber_runtime::__private::borrowed_through_reference(
                                &raw const s,
                            );
                            let mut __fiber_t0 = __fiber_rt::IntoIterator::into_iter(
                                &s.children,
                            );
                            loop {
                                let sub = match __fiber_rt::Iterator::next(
                                    &mut __fiber_t0,
                                ) {
                                    __fiber_rt::Some(__fiber_next) => __fiber_next,
                                    __fiber_rt::None => break,
                                };
                                {
                                    let _: () = {
                                        let __fiber_arg0: &Section = sub;
                                        let __fiber_arg1: usize = depth + 1;
                                        let __fiber_arg2: &mut String = (unsafe {
                                            &mut *out.as_ptr()
                                        });
                                        let __fiber_arg2 = __fiber_rt::MutRef::new(__fiber_arg2);
                                        __fiber_top
                                            .save(__FiberFrame::SectionAfter1 {
                                                __fiber_t0: __fiber_t0,
                                                out: out,
                                                depth: depth,
                                            });
                                        return __fiber_rt::Step::Call(__FiberFrame::SectionStart {
                                            s: __fiber_arg0,
                                            depth: __fiber_arg1,
                                            out: __fiber_arg2,
                                        });
                                    };
                                }
                            }
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::section(__fiber_value))
                }
                __FiberFrame::SectionAfter1 {
                    __fiber_t0: __fiber_b3,
                    out: __fiber_b2,
                    depth: __fiber_b1,
                } => {
                    let mut __fiber_b3 = __fiber_rt::Some(__fiber_b3);
                    let mut __fiber_b2 = __fiber_rt::Some(__fiber_b2);
                    let mut __fiber_b1 = __fiber_rt::Some(__fiber_b1);
                    let __fiber_value = {
                        let depth = __fiber_rt::take_saved(&mut __fiber_b1);
                        let out = __fiber_rt::take_saved(&mut __fiber_b2);
                        {
                            let mut __fiber_t0 = __fiber_rt::take_saved(&mut __fiber_b3);
                            {
                                let mut __fiber_resumed1 = true;
                                loop {
                                    if __fiber_resumed1 {
                                        __fiber_resumed1 = false;
                                        {
                                            {
                                                let _ = __fiber_rt::returned!(
                                                    __fiber_slot, __FiberRet::section
                                                );
                                            }
                                        }
                                    } else {
                                        let sub = match __fiber_rt::Iterator::next(
                                            &mut __fiber_t0,
                                        ) {
                                            __fiber_rt::Some(__fiber_next) => __fiber_next,
                                            __fiber_rt::None => break,
                                        };
                                        {
                                            let _: () = {
                                                let __fiber_arg0: &Section = sub;
                                                let __fiber_arg1: usize = depth + 1;
                                                let __fiber_arg2: &mut String = (unsafe {
                                                    &mut *out.as_ptr()
                                                });
                                                let __fiber_arg2 = __fiber_rt::MutRef::new(__fiber_arg2);
                                                __fiber_top
                                                    .save(__FiberFrame::SectionAfter1 {
                                                        __fiber_t0: __fiber_t0,
                                                        out: out,
                                                        depth: depth,
                                                    });
                                                return __fiber_rt::Step::Call(__FiberFrame::SectionStart {
                                                    s: __fiber_arg0,
                                                    depth: __fiber_arg1,
                                                    out: __fiber_arg2,
                                                });
                                            };
                                        }
                                    }
                                }
                            }
                        }
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::section(__fiber_value))
                }
                __FiberFrame::HeadingStart {
                    title: __fiber_p0,
                    depth: __fiber_p1,
                    out: __fiber_p2,
                } => {
                    let __fiber_value = {
                        let title: &str = __fiber_p0;
                        let depth: usize = __fiber_p1;
                        let out: __fiber_rt::MutRef<'_, String> = __fiber_p2;
                        (unsafe { &mut *out.as_ptr() }).push_str(&"#".repeat(depth + 1));
                        (unsafe { &mut *out.as_ptr() }).push(' ');
                        (unsafe { &mut *out.as_ptr() }).push_str(title);
                        (unsafe { &mut *out.as_ptr() }).push('\n');
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::heading(__fiber_value))
                }
            },
        );
        __fiber_rt::machine::<
            _,
            __FiberRet<(), ()>,
            _,
            _,
            _,
        >(
            __fiber_start,
            __fiber_step,
            |__fiber_output| match __fiber_output {
                __FiberRet::section(__fiber_output) => __fiber_output,
                _ => __fiber_rt::unreachable!(),
            },
        )
    }
    fn heading(
        title: &str,
        depth: usize,
        out: &mut String,
    ) -> impl ::fiber_runtime::Fiber<Output = ()> {
        use ::fiber_runtime::__private as __fiber_rt;
        #[allow(unused_imports)]
        mod __fiber_shadow {
            use super::*;
            #[allow(dead_code, clippy::all)]
            fn section(s: &Section, depth: usize, out: &mut String) {
                self::heading(&s.title, depth, out);
                for sub in &s.children {
                    self::section(sub, depth + 1, out);
                }
            }
            #[allow(dead_code, clippy::all)]
            fn heading(title: &str, depth: usize, out: &mut String) {
                out.push_str(&"#".repeat(depth + 1));
                out.push(' ');
                out.push_str(title);
                out.push('\n');
            }
        }
        #[allow(non_camel_case_types)]
        enum __FiberFrame<HeadingP0, HeadingP1, HeadingP2> {
            HeadingStart { title: HeadingP0, depth: HeadingP1, out: HeadingP2 },
        }
        #[allow(non_camel_case_types)]
        enum __FiberRet<R1> {
            heading(R1),
        }
        let __fiber_start = __FiberFrame::HeadingStart {
            title: title,
            depth: depth,
            out: __fiber_rt::MutRef::new(out),
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
            __FiberRet<()>,
            _,
        >(
            &__fiber_start,
            #[inline(always)]
            |__fiber_frame, __fiber_top, __fiber_slot| match __fiber_frame {
                __FiberFrame::HeadingStart {
                    title: __fiber_p0,
                    depth: __fiber_p1,
                    out: __fiber_p2,
                } => {
                    let __fiber_value = {
                        let title: &str = __fiber_p0;
                        let depth: usize = __fiber_p1;
                        let out: __fiber_rt::MutRef<'_, String> = __fiber_p2;
                        (unsafe { &mut *out.as_ptr() }).push_str(&"#".repeat(depth + 1));
                        (unsafe { &mut *out.as_ptr() }).push(' ');
                        (unsafe { &mut *out.as_ptr() }).push_str(title);
                        (unsafe { &mut *out.as_ptr() }).push('\n');
                    };
                    __fiber_rt::ret(__fiber_slot, __FiberRet::heading(__fiber_value))
                }
            },
        );
        __fiber_rt::machine::<
            _,
            __FiberRet<()>,
            _,
            _,
            _,
        >(
            __fiber_start,
            __fiber_step,
            |__fiber_output| match __fiber_output {
                __FiberRet::heading(__fiber_output) => __fiber_output,
            },
        )
    }
}
