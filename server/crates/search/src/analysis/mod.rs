//! Text analysis shared by indexing, querying and the test oracle.

mod cjk;
pub mod markdown;
pub mod normalize;
pub mod tokenizer;

pub use cjk::is_cjk;
pub use markdown::{Stripped, strip};
pub use tokenizer::{AnalyzedToken, HearthTokenizer, TOKENIZER_NAME, TokenKind, analyze};
