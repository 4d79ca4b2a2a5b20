//! The index schema and the conversion of documents into index documents.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{TOKENIZER_NAME, strip};
use crate::document::{DocKind, FileDoc, PostDoc};
use crate::scope_filter::{CHANNEL_HI, CHANNEL_LO, halves};

/// Values of the multi-valued `flags` field.
pub(crate) mod flag {
    pub const FILE: &str = "file";
    pub const LINK: &str = "link";
    pub const REPLY: &str = "reply";
    pub const HAS_REPLIES: &str = "has_replies";
}

/// Handles to every field, resolved once per index.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub channel_id: Field,
    pub team_id: Field,
    pub user_id: Field,
    pub root_id: Field,
    pub post_id: Field,
    pub created_at: Field,
    pub message: Field,
    pub root_text: Field,
    pub file_names: Field,
    pub file_text: Field,
    pub hashtags: Field,
    pub flags: Field,
    pub mime: Field,
    pub channel_hi: Field,
    pub channel_lo: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let opts = TextOptions::default().set_indexing_options(indexing);
            if stored { opts.set_stored() } else { opts }
        };
        let fields = Fields {
            // Raw bytes (kind + 16-byte id): the only per-document unique
            // term, so kept as small as possible.
            key: b.add_bytes_field("key", INDEXED),
            kind: b.add_text_field("kind", STRING | STORED),
            id: b.add_text_field("id", STORED),
            channel_id: b.add_text_field("channel_id", STRING | STORED),
            team_id: b.add_text_field("team_id", STRING),
            user_id: b.add_text_field("user_id", STRING | STORED),
            root_id: b.add_text_field("root_id", STRING | STORED),
            post_id: b.add_text_field("post_id", STRING | STORED),
            // Range filters and date sorting read the column; no terms needed.
            created_at: b.add_i64_field("created_at", FAST | STORED),
            message: b.add_text_field("message", text(true)),
            root_text: b.add_text_field("root_text", text(false)),
            file_names: b.add_text_field("file_names", text(true)),
            file_text: b.add_text_field("file_text", text(true)),
            hashtags: b.add_text_field("hashtags", STRING),
            flags: b.add_text_field("flags", STRING),
            mime: b.add_text_field("mime", STRING | STORED),
            channel_hi: b.add_u64_field(CHANNEL_HI, FAST),
            channel_lo: b.add_u64_field(CHANNEL_LO, FAST),
        };
        (b.build(), fields)
    }

    pub fn post_document(&self, post: &PostDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        let stripped = strip(&post.message);
        doc.add_bytes(self.key, &DocKind::Post.key(post.id));
        doc.add_text(self.kind, DocKind::Post.as_str());
        doc.add_text(self.id, post.id.to_string());
        self.add_common(
            &mut doc,
            post.channel_id,
            post.team_id,
            post.user_id,
            post.created_at,
        );
        if let Some(root) = post.root_id {
            doc.add_text(self.root_id, root.to_string());
            doc.add_text(self.flags, flag::REPLY);
        }
        if post.has_replies {
            doc.add_text(self.flags, flag::HAS_REPLIES);
        }
        if !post.file_names.is_empty() {
            doc.add_text(self.flags, flag::FILE);
        }
        if stripped.has_link {
            doc.add_text(self.flags, flag::LINK);
        }
        for tag in &stripped.hashtags {
            doc.add_text(self.hashtags, tag);
        }
        doc.add_text(self.message, &stripped.text);
        if let Some(root) = &post.root_message {
            doc.add_text(self.root_text, strip(root).text);
        }
        for name in &post.file_names {
            doc.add_text(self.file_names, name);
        }
        for text in &post.file_text {
            doc.add_text(self.file_text, text);
        }
        doc
    }

    pub fn file_document(&self, file: &FileDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_bytes(self.key, &DocKind::File.key(file.id));
        doc.add_text(self.kind, DocKind::File.as_str());
        doc.add_text(self.id, file.id.to_string());
        doc.add_text(self.post_id, file.post_id.to_string());
        self.add_common(
            &mut doc,
            file.channel_id,
            file.team_id,
            file.user_id,
            file.created_at,
        );
        doc.add_text(self.flags, flag::FILE);
        doc.add_text(self.file_names, &file.name);
        doc.add_text(self.mime, &file.mime);
        if let Some(text) = &file.text {
            doc.add_text(self.file_text, text);
        }
        doc
    }

    fn add_common(
        &self,
        doc: &mut TantivyDocument,
        channel_id: uuid::Uuid,
        team_id: Option<uuid::Uuid>,
        user_id: uuid::Uuid,
        created_at: i64,
    ) {
        doc.add_text(self.channel_id, channel_id.to_string());
        let (hi, lo) = halves(channel_id);
        doc.add_u64(self.channel_hi, hi);
        doc.add_u64(self.channel_lo, lo);
        if let Some(team) = team_id {
            doc.add_text(self.team_id, team.to_string());
        }
        doc.add_text(self.user_id, user_id.to_string());
        doc.add_i64(self.created_at, created_at);
    }
}
