// @generated automatically by Diesel CLI.

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

diesel::joinable!(districts -> programmes (programme_id));

diesel::allow_tables_to_appear_in_same_query!(audit_events, districts, programmes,);
