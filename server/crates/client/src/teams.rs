//! Teams, their members and invitations.

use hearth_api::{
    AddMemberRequest, Channel, CreateTeamRequest, JoinTeamRequest, MemberRole,
    SetMemberRoleRequest, Team, TeamInvite, TeamMember, UpdateTeamRequest,
};
use reqwest::Method;
use uuid::Uuid;

use crate::{Client, Result};

impl Client {
    /// `POST /teams`: also creates `town-square` and `off-topic`.
    pub async fn create_team(&self, req: &CreateTeamRequest) -> Result<Team> {
        self.json(self.api(Method::POST, "/teams").json(req)).await
    }

    /// `GET /teams`: the teams the caller belongs to.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        self.json(self.api(Method::GET, "/teams")).await
    }

    /// `GET /admin/teams`: every team on the server (system admin).
    pub async fn all_teams(&self) -> Result<Vec<Team>> {
        self.json(self.api(Method::GET, "/admin/teams")).await
    }

    /// `GET /teams/open`: open teams the caller may join.
    pub async fn open_teams(&self) -> Result<Vec<Team>> {
        self.json(self.api(Method::GET, "/teams/open")).await
    }

    /// `GET /teams/{id}`.
    pub async fn team(&self, team_id: Uuid) -> Result<Team> {
        self.json(self.api(Method::GET, &format!("/teams/{team_id}")))
            .await
    }

    /// `PATCH /teams/{id}`: changes only the fields that are set.
    pub async fn update_team(&self, team_id: Uuid, req: &UpdateTeamRequest) -> Result<Team> {
        let rb = self
            .api(Method::PATCH, &format!("/teams/{team_id}"))
            .json(req);
        self.json(rb).await
    }

    /// `POST /teams/{id}/archive`: closes the team and archives its channels.
    pub async fn archive_team(&self, team_id: Uuid) -> Result<Team> {
        self.json(self.api(Method::POST, &format!("/teams/{team_id}/archive")))
            .await
    }

    /// `POST /teams/{id}/restore`: reopens the team and the channels its
    /// archiving closed.
    pub async fn restore_team(&self, team_id: Uuid) -> Result<Team> {
        self.json(self.api(Method::POST, &format!("/teams/{team_id}/restore")))
            .await
    }

    /// `GET /teams/{id}/invite`: the current invite id.
    pub async fn team_invite(&self, team_id: Uuid) -> Result<TeamInvite> {
        self.json(self.api(Method::GET, &format!("/teams/{team_id}/invite")))
            .await
    }

    /// `POST /teams/{id}/invite`: a new invite id; the old one stops working.
    pub async fn regenerate_invite(&self, team_id: Uuid) -> Result<TeamInvite> {
        self.json(self.api(Method::POST, &format!("/teams/{team_id}/invite")))
            .await
    }

    /// `POST /teams/join` with an invite id.
    pub async fn join_team(&self, invite_id: &str) -> Result<Team> {
        let req = JoinTeamRequest {
            invite_id: invite_id.to_string(),
        };
        self.json(self.api(Method::POST, "/teams/join").json(&req))
            .await
    }

    /// `GET /teams/{id}/members`.
    pub async fn team_members(&self, team_id: Uuid) -> Result<Vec<TeamMember>> {
        self.json(self.api(Method::GET, &format!("/teams/{team_id}/members")))
            .await
    }

    /// `POST /teams/{id}/members`: adds a user (or joins an open team as self).
    pub async fn add_team_member(&self, team_id: Uuid, user_id: Uuid) -> Result<TeamMember> {
        let rb = self
            .api(Method::POST, &format!("/teams/{team_id}/members"))
            .json(&AddMemberRequest { user_id });
        self.json(rb).await
    }

    /// `DELETE /teams/{id}/members/{user_id}`: leaves, or removes as team admin.
    pub async fn remove_team_member(&self, team_id: Uuid, user_id: Uuid) -> Result<()> {
        let path = format!("/teams/{team_id}/members/{user_id}");
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `PUT /teams/{id}/members/{user_id}/role`.
    pub async fn set_team_member_role(
        &self,
        team_id: Uuid,
        user_id: Uuid,
        role: MemberRole,
    ) -> Result<TeamMember> {
        let rb = self
            .api(
                Method::PUT,
                &format!("/teams/{team_id}/members/{user_id}/role"),
            )
            .json(&SetMemberRoleRequest { role });
        self.json(rb).await
    }

    /// `GET /teams/{id}/channels?include_archived=`: public channels to browse.
    pub async fn browse_channels(
        &self,
        team_id: Uuid,
        include_archived: bool,
    ) -> Result<Vec<Channel>> {
        let rb = self
            .api(Method::GET, &format!("/teams/{team_id}/channels"))
            .query(&[("include_archived", include_archived)]);
        self.json(rb).await
    }
}
