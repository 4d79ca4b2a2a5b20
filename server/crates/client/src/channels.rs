//! Channels, their members, read state and post history.

use hearth_api::{
    AddMemberRequest, Channel, ChannelMember, ChannelUnread, CreateChannelRequest,
    DirectChannelRequest, MemberRole, Post, PostPage, PostsQuery, SetMemberRoleRequest,
    UpdateChannelRequest, UpdateMembershipRequest,
};
use reqwest::Method;
use uuid::Uuid;

use crate::{Client, Result};

/// The query pairs of a [`PostsQuery`], leaving out unset fields.
pub(crate) fn posts_query(q: &PostsQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (name, id) in [
        ("before", q.before),
        ("after", q.after),
        ("around", q.around),
    ] {
        if let Some(id) = id {
            out.push((name, id.to_string()));
        }
    }
    if let Some(limit) = q.limit {
        out.push(("limit", limit.to_string()));
    }
    if let Some(collapsed) = q.collapsed {
        out.push(("collapsed", collapsed.to_string()));
    }
    out
}

impl Client {
    /// `POST /channels`: a public or private channel in a team.
    pub async fn create_channel(&self, req: &CreateChannelRequest) -> Result<Channel> {
        self.json(self.api(Method::POST, "/channels").json(req))
            .await
    }

    /// `POST /channels/direct`: the direct (one other user) or group channel
    /// with these users, existing or new.
    pub async fn direct_channel(&self, user_ids: &[Uuid]) -> Result<Channel> {
        let req = DirectChannelRequest {
            user_ids: user_ids.to_vec(),
        };
        self.json(self.api(Method::POST, "/channels/direct").json(&req))
            .await
    }

    /// `GET /users/me/channels`: every channel the caller is in.
    pub async fn my_channels(&self) -> Result<Vec<Channel>> {
        self.json(self.api(Method::GET, "/users/me/channels")).await
    }

    /// `GET /users/me/memberships`.
    pub async fn my_memberships(&self) -> Result<Vec<ChannelMember>> {
        self.json(self.api(Method::GET, "/users/me/memberships"))
            .await
    }

    /// `GET /users/me/unreads`.
    pub async fn unreads(&self) -> Result<Vec<ChannelUnread>> {
        self.json(self.api(Method::GET, "/users/me/unreads")).await
    }

    /// `GET /channels/{id}`.
    pub async fn channel(&self, channel_id: Uuid) -> Result<Channel> {
        self.json(self.api(Method::GET, &format!("/channels/{channel_id}")))
            .await
    }

    /// `PATCH /channels/{id}`: changes only the fields that are set.
    pub async fn update_channel(
        &self,
        channel_id: Uuid,
        req: &UpdateChannelRequest,
    ) -> Result<Channel> {
        let rb = self
            .api(Method::PATCH, &format!("/channels/{channel_id}"))
            .json(req);
        self.json(rb).await
    }

    /// `POST /channels/{id}/archive`: makes the channel read-only.
    pub async fn archive_channel(&self, channel_id: Uuid) -> Result<Channel> {
        let path = format!("/channels/{channel_id}/archive");
        self.json(self.api(Method::POST, &path)).await
    }

    /// `POST /channels/{id}/unarchive`.
    pub async fn unarchive_channel(&self, channel_id: Uuid) -> Result<Channel> {
        let path = format!("/channels/{channel_id}/unarchive");
        self.json(self.api(Method::POST, &path)).await
    }

    /// `POST /channels/{id}/make-private`: public → private.
    pub async fn make_channel_private(&self, channel_id: Uuid) -> Result<Channel> {
        let path = format!("/channels/{channel_id}/make-private");
        self.json(self.api(Method::POST, &path)).await
    }

    /// `POST /channels/{id}/move` (system admin): to another team.
    pub async fn move_channel(&self, channel_id: Uuid, team_id: Uuid) -> Result<Channel> {
        let rb = self
            .api(Method::POST, &format!("/channels/{channel_id}/move"))
            .json(&hearth_api::MoveChannelRequest { team_id });
        self.json(rb).await
    }

    /// `GET /channels/{id}/members`.
    pub async fn channel_members(&self, channel_id: Uuid) -> Result<Vec<ChannelMember>> {
        let path = format!("/channels/{channel_id}/members");
        self.json(self.api(Method::GET, &path)).await
    }

    /// `POST /channels/{id}/members`: adds a user (or joins as self).
    pub async fn add_channel_member(
        &self,
        channel_id: Uuid,
        user_id: Uuid,
    ) -> Result<ChannelMember> {
        let rb = self
            .api(Method::POST, &format!("/channels/{channel_id}/members"))
            .json(&AddMemberRequest { user_id });
        self.json(rb).await
    }

    /// `DELETE /channels/{id}/members/{user_id}`: leaves, or removes.
    pub async fn remove_channel_member(&self, channel_id: Uuid, user_id: Uuid) -> Result<()> {
        let path = format!("/channels/{channel_id}/members/{user_id}");
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `PUT /channels/{id}/members/{user_id}/role`.
    pub async fn set_channel_member_role(
        &self,
        channel_id: Uuid,
        user_id: Uuid,
        role: MemberRole,
    ) -> Result<ChannelMember> {
        let rb = self
            .api(
                Method::PUT,
                &format!("/channels/{channel_id}/members/{user_id}/role"),
            )
            .json(&SetMemberRoleRequest { role });
        self.json(rb).await
    }

    /// `PATCH /channels/{id}/members/me`: the caller's notify level, mute, favourite.
    pub async fn update_membership(
        &self,
        channel_id: Uuid,
        req: &UpdateMembershipRequest,
    ) -> Result<ChannelMember> {
        let rb = self
            .api(Method::PATCH, &format!("/channels/{channel_id}/members/me"))
            .json(req);
        self.json(rb).await
    }

    /// `POST /channels/{id}/view`: marks the channel read.
    pub async fn view_channel(&self, channel_id: Uuid) -> Result<ChannelMember> {
        let path = format!("/channels/{channel_id}/view");
        self.json(self.api(Method::POST, &path)).await
    }

    /// `GET /channels/{id}/posts?before=&after=&around=&limit=`: a page, oldest first.
    pub async fn posts(&self, channel_id: Uuid, query: &PostsQuery) -> Result<PostPage> {
        let rb = self
            .api(Method::GET, &format!("/channels/{channel_id}/posts"))
            .query(&posts_query(query));
        self.json(rb).await
    }

    /// `GET /channels/{id}/pinned`.
    pub async fn pinned(&self, channel_id: Uuid) -> Result<Vec<Post>> {
        let path = format!("/channels/{channel_id}/pinned");
        self.json(self.api(Method::GET, &path)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_query_skips_unset_fields() {
        assert!(posts_query(&PostsQuery::default()).is_empty());
        let id = Uuid::nil();
        let q = PostsQuery {
            before: Some(id),
            limit: Some(5),
            ..Default::default()
        };
        assert_eq!(
            posts_query(&q),
            vec![("before", id.to_string()), ("limit", "5".to_string())]
        );
    }
}
