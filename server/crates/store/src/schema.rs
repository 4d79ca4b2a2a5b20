//! Diesel table definitions, one schema for both backends (see the paired
//! migrations under `migrations/`).

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        timezone -> Text,
        status_text -> Text,
        avatar_sha256 -> Nullable<Text>,
        is_active -> Bool,
        is_bot -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        email_verified_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        kind -> Text,
        name -> Text,
        csrf_token -> Text,
        created_at -> BigInt,
        last_active_at -> BigInt,
        expires_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
        integration -> Bool,
    }
}

diesel::table! {
    system_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        display_name -> Text,
        description -> Text,
        open -> Bool,
        invite_id -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        archived_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    team_members (team_id, user_id) {
        team_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    channels (id) {
        id -> Text,
        team_id -> Nullable<Text>,
        kind -> Text,
        name -> Text,
        display_name -> Text,
        purpose -> Text,
        header -> Text,
        creator_id -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        archived_at -> Nullable<BigInt>,
        last_post_at -> BigInt,
        total_msg_count -> BigInt,
    }
}

diesel::table! {
    channel_members (channel_id, user_id) {
        channel_id -> Text,
        user_id -> Text,
        role -> Text,
        notify_level -> Text,
        muted -> Bool,
        favorite -> Bool,
        last_viewed_at -> BigInt,
        msg_count -> BigInt,
        mention_count -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> Text,
        channel_id -> Text,
        user_id -> Text,
        root_id -> Nullable<Text>,
        message -> Text,
        file_ids -> Text,
        mentions -> Text,
        mentions_channel -> Bool,
        channel_links -> Text,
        is_pinned -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        edited_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        reply_count -> BigInt,
        last_reply_at -> Nullable<BigInt>,
        idempotency_key -> Nullable<Text>,
        inserted_at -> BigInt,
    }
}

diesel::table! {
    post_history (id) {
        id -> Text,
        post_id -> Text,
        message -> Text,
        file_ids -> Text,
        replaced_at -> BigInt,
        replaced_by -> Text,
        change -> Text,
    }
}

diesel::table! {
    thread_members (root_id, user_id) {
        root_id -> Text,
        user_id -> Text,
        following -> Bool,
        participated_at -> Nullable<BigInt>,
        last_viewed_at -> BigInt,
    }
}

diesel::table! {
    reactions (post_id, user_id, emoji_name) {
        post_id -> Text,
        user_id -> Text,
        emoji_name -> Text,
        created_at -> BigInt,
        inserted_at -> BigInt,
    }
}

diesel::table! {
    saved_posts (user_id, post_id) {
        user_id -> Text,
        post_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    files (id) {
        id -> Text,
        uploader_id -> Text,
        channel_id -> Text,
        post_id -> Nullable<Text>,
        name -> Text,
        mime_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        has_preview -> Bool,
        created_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    change_log (seq) {
        seq -> BigInt,
        created_at -> BigInt,
        kind -> Text,
        audience -> Text,
        team_id -> Nullable<Text>,
        channel_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        payload -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<Text>,
        details -> Text,
        ip -> Nullable<Text>,
        created_at -> BigInt,
        seq -> BigInt,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    user_auth (user_id) {
        user_id -> Text,
        source -> Text,
        provider -> Text,
        external_id -> Nullable<Text>,
        synced -> Text,
        mfa_secret -> Nullable<Text>,
        mfa_enabled -> Bool,
        mfa_last_step -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    mfa_recovery_codes (user_id, code_hash) {
        user_id -> Text,
        code_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    login_failures (login_hash) {
        login_hash -> Text,
        failures -> Integer,
        last_failure_at -> BigInt,
        locked_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    auth_challenges (id_hash) {
        id_hash -> Text,
        kind -> Text,
        user_id -> Nullable<Text>,
        data -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    session_sso (session_id) {
        session_id -> Text,
        provider -> Text,
        id_token -> Text,
    }
}

diesel::table! {
    retention_policies (scope_kind, scope_id) {
        scope_kind -> Text,
        scope_id -> Text,
        messages_ms -> Nullable<BigInt>,
        files_ms -> Nullable<BigInt>,
        updated_by -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    legal_holds (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        custodians -> Text,
        channels -> Text,
        include_channel_context -> Bool,
        start_at -> Nullable<BigInt>,
        end_at -> Nullable<BigInt>,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        released_by -> Nullable<Text>,
        released_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    compliance_jobs (id) {
        id -> Text,
        kind -> Text,
        status -> Text,
        params -> Text,
        progress -> Text,
        result -> Nullable<Text>,
        error -> Nullable<Text>,
        attempts -> Integer,
        scheduled -> Bool,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        started_at -> Nullable<BigInt>,
        finished_at -> Nullable<BigInt>,
        file_name -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        file_sha256 -> Nullable<Text>,
    }
}

diesel::table! {
    export_cursors (name) {
        name -> Text,
        at -> BigInt,
        record_id -> Text,
        job_id -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    channel_member_history (id) {
        id -> Text,
        channel_id -> Text,
        user_id -> Text,
        actor_id -> Text,
        change -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    import_map (source, kind, external_id) {
        source -> Text,
        kind -> Text,
        external_id -> Text,
        hearth_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    file_text_failures (file_id) {
        file_id -> Text,
        reason -> Text,
        failed_at -> BigInt,
    }
}

diesel::table! {
    user_presence (user_id) {
        user_id -> Text,
        manual -> Text,
        updated_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    teams,
    team_members,
    channels,
    channel_members,
    posts,
    post_history,
    thread_members,
    reactions,
    saved_posts,
    files,
    change_log,
    audit_log,
    user_auth,
    channel_member_history,
    legal_holds,
);
