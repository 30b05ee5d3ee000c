//! One collector per expansion: every error the stages find, reported together
//! (`syn::Error::combine`), each on the user's token.

use syn::Error;

/// Collects errors so that one expansion reports all of them.
#[derive(Default)]
pub struct Errors(Option<Error>);

impl Errors {
    pub fn push(&mut self, error: Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn error(&mut self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.push(Error::new_spanned(tokens, message));
    }

    /// Ends the expansion here if any error was found: what follows needs an input free of them.
    pub fn checkpoint(&mut self) -> Result<(), Error> {
        self.0.take().map_or(Ok(()), Err)
    }
}
