//! Posts, threads, reactions, pins and saved posts.

use hearth_api::{
    CreatePostRequest, EditPostRequest, FollowRequest, Post, PostPage, PostVersion, Reaction,
    ReactionRequest, ThreadState,
};
use reqwest::Method;
use uuid::Uuid;

use crate::{Client, Result, seg};

impl Client {
    /// `POST /posts`.
    pub async fn create_post(&self, req: &CreatePostRequest) -> Result<Post> {
        self.json(self.api(Method::POST, "/posts").json(req)).await
    }

    /// `POST /posts`, also returning the status: 201 for a new post, 200 for
    /// the original answered again on an idempotent retry.
    pub async fn create_post_with_status(&self, req: &CreatePostRequest) -> Result<(u16, Post)> {
        self.json_with_status(self.api(Method::POST, "/posts").json(req))
            .await
    }

    /// Shorthand for a plain top-level post.
    pub async fn post_message(&self, channel_id: Uuid, message: &str) -> Result<Post> {
        self.create_post(&CreatePostRequest {
            channel_id,
            message: message.to_string(),
            ..Default::default()
        })
        .await
    }

    /// `GET /posts/{id}`.
    pub async fn post(&self, post_id: Uuid) -> Result<Post> {
        self.json(self.api(Method::GET, &format!("/posts/{post_id}")))
            .await
    }

    /// `PATCH /posts/{id}`: replaces the text (the old one goes to history).
    pub async fn edit_post(&self, post_id: Uuid, message: &str) -> Result<Post> {
        let req = EditPostRequest {
            message: message.to_string(),
        };
        let rb = self
            .api(Method::PATCH, &format!("/posts/{post_id}"))
            .json(&req);
        self.json(rb).await
    }

    /// `DELETE /posts/{id}`.
    pub async fn delete_post(&self, post_id: Uuid) -> Result<()> {
        self.empty(self.api(Method::DELETE, &format!("/posts/{post_id}")))
            .await
    }

    /// `GET /posts/{id}/history`: earlier versions.
    pub async fn post_history(&self, post_id: Uuid) -> Result<Vec<PostVersion>> {
        let path = format!("/posts/{post_id}/history");
        self.json(self.api(Method::GET, &path)).await
    }

    /// `GET /posts/{id}/thread`: the root first, then the replies.
    pub async fn thread(&self, post_id: Uuid) -> Result<PostPage> {
        let path = format!("/posts/{post_id}/thread");
        self.json(self.api(Method::GET, &path)).await
    }

    /// `POST /posts/{id}/reactions`.
    pub async fn add_reaction(&self, post_id: Uuid, emoji_name: &str) -> Result<Reaction> {
        let req = ReactionRequest {
            emoji_name: emoji_name.to_string(),
        };
        let rb = self
            .api(Method::POST, &format!("/posts/{post_id}/reactions"))
            .json(&req);
        self.json(rb).await
    }

    /// `DELETE /posts/{id}/reactions/{emoji_name}`.
    pub async fn remove_reaction(&self, post_id: Uuid, emoji_name: &str) -> Result<()> {
        let path = format!("/posts/{post_id}/reactions/{}", seg(emoji_name));
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `POST /posts/{id}/pin`.
    pub async fn pin(&self, post_id: Uuid) -> Result<Post> {
        self.json(self.api(Method::POST, &format!("/posts/{post_id}/pin")))
            .await
    }

    /// `POST /posts/{id}/unpin`.
    pub async fn unpin(&self, post_id: Uuid) -> Result<Post> {
        self.json(self.api(Method::POST, &format!("/posts/{post_id}/unpin")))
            .await
    }

    /// `POST /posts/{id}/save`: bookmarks the post for the caller.
    pub async fn save_post(&self, post_id: Uuid) -> Result<()> {
        self.empty(self.api(Method::POST, &format!("/posts/{post_id}/save")))
            .await
    }

    /// `DELETE /posts/{id}/save`.
    pub async fn unsave_post(&self, post_id: Uuid) -> Result<()> {
        self.empty(self.api(Method::DELETE, &format!("/posts/{post_id}/save")))
            .await
    }

    /// `GET /users/me/saved`.
    pub async fn saved_posts(&self) -> Result<Vec<Post>> {
        self.json(self.api(Method::GET, "/users/me/saved")).await
    }

    /// `PUT /posts/{id}/follow`: follows or unfollows a thread.
    pub async fn follow_thread(&self, post_id: Uuid, following: bool) -> Result<ThreadState> {
        let rb = self
            .api(Method::PUT, &format!("/posts/{post_id}/follow"))
            .json(&FollowRequest { following });
        self.json(rb).await
    }

    /// `POST /posts/{id}/thread/view`: marks the thread read.
    pub async fn view_thread(&self, post_id: Uuid) -> Result<ThreadState> {
        let path = format!("/posts/{post_id}/thread/view");
        self.json(self.api(Method::POST, &path)).await
    }

    /// `GET /users/me/threads`: followed threads.
    pub async fn my_threads(&self) -> Result<Vec<ThreadState>> {
        self.json(self.api(Method::GET, "/users/me/threads")).await
    }
}
