// @generated automatically by Diesel CLI.

diesel::table! {
    api_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        label -> Text,
        token_hash -> Text,
        created_by -> Nullable<Int8>,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_id -> Nullable<Int8>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Int8>,
        programme_id -> Nullable<Int8>,
        changes -> Jsonb,
    }
}

diesel::table! {
    districts (id) {
        id -> Int8,
        programme_id -> Int8,
        name -> Text,
        archived_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Int8,
        email -> Text,
        client_ip -> Text,
        outcome -> Text,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    programmes (id) {
        id -> Int8,
        name -> Text,
        city -> Text,
        country -> Text,
        currency -> Text,
        default_language -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        description -> Text,
        archived_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Jsonb,
        expiry_date -> Timestamptz,
    }
}

diesel::table! {
    user_programmes (user_id, programme_id) {
        user_id -> Int8,
        programme_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        active -> Bool,
        language -> Nullable<Text>,
        session_epoch -> Int4,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(audit_events -> users (actor_id));
diesel::joinable!(districts -> programmes (programme_id));
diesel::joinable!(user_programmes -> programmes (programme_id));
diesel::joinable!(user_programmes -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    audit_events,
    districts,
    login_attempts,
    programmes,
    sessions,
    user_programmes,
    users,
);
