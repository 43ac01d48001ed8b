// @generated automatically by Diesel CLI.

diesel::table! {
    access_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        user_id -> Nullable<Int8>,
        programme_id -> Int8,
        subject -> Text,
        subject_id -> Int8,
        fields -> Array<Text>,
        channel -> Text,
    }
}

diesel::table! {
    allowance_runs (programme_id, month) {
        programme_id -> Int8,
        month -> Date,
        created_by -> Nullable<Int8>,
        confirmed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

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
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    attendance (enrolment_id, module_id) {
        enrolment_id -> Int8,
        module_id -> Int8,
        status -> Text,
        recorded_by -> Nullable<Int8>,
        updated_at -> Timestamptz,
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
    course_modules (id) {
        id -> Int8,
        course_id -> Int8,
        position -> Int4,
        title -> Text,
        topic_id -> Int8,
        held_on -> Nullable<Date>,
        minutes -> Int4,
        interpreter_languages -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    courses (id) {
        id -> Int8,
        programme_id -> Int8,
        name -> Text,
        trainer_id -> Int8,
        location -> Text,
        starts_on -> Date,
        ends_on -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    curriculum_template_modules (id) {
        id -> Int8,
        programme_id -> Int8,
        position -> Int4,
        title -> Text,
        topic_id -> Int8,
        minutes -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    curriculum_topics (id) {
        id -> Int8,
        programme_id -> Nullable<Int8>,
        key -> Nullable<Text>,
        label -> Text,
        retired_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    data_keys (id) {
        id -> Int4,
        fingerprint -> Bytea,
        created_at -> Timestamptz,
        resealed_at -> Nullable<Timestamptz>,
        retired_at -> Nullable<Timestamptz>,
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
    enrolments (id) {
        id -> Int8,
        programme_id -> Int8,
        course_id -> Int8,
        mother_id -> Int8,
        enrolled_on -> Date,
        status -> Text,
        completed_on -> Nullable<Date>,
        certified_on -> Nullable<Date>,
        dropped_out_on -> Nullable<Date>,
        drop_out_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    event_mothers (event_id, mother_id) {
        event_id -> Int8,
        mother_id -> Int8,
        programme_id -> Int8,
    }
}

diesel::table! {
    events (id) {
        id -> Int8,
        programme_id -> Int8,
        district_id -> Nullable<Int8>,
        kind -> Text,
        title -> Text,
        held_on -> Date,
        migrant_participants -> Int4,
        local_participants -> Int4,
        interpreter_languages -> Array<Nullable<Text>>,
        note -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    expenses (id) {
        id -> Int8,
        programme_id -> Int8,
        spent_on -> Date,
        category -> Text,
        amount_minor -> Int8,
        currency -> Text,
        grant_id -> Nullable<Int8>,
        mother_id -> Nullable<Int8>,
        allowance_month -> Nullable<Date>,
        status -> Text,
        note -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    families (id) {
        id -> Int8,
        programme_id -> Int8,
        reference_number -> Int4,
        reference_code -> Text,
        district_id -> Nullable<Int8>,
        languages -> Array<Nullable<Text>>,
        children_count -> Int2,
        children_birth_years -> Array<Nullable<Int2>>,
        contact_origin -> Text,
        first_contact_on -> Date,
        consent_on -> Nullable<Date>,
        consent_scope -> Text,
        consent_recorded_by -> Nullable<Int8>,
        primary_mother_id -> Nullable<Int8>,
        status -> Text,
        closed_on -> Nullable<Date>,
        closed_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        erased_at -> Nullable<Timestamptz>,
        consent_contact -> Bool,
        consent_visits -> Bool,
        consent_referrals -> Bool,
        consent_withdrawn_on -> Nullable<Date>,
        external_ref -> Nullable<Text>,
        last_visit_on -> Nullable<Date>,
    }
}

diesel::table! {
    family_personal (family_id) {
        family_id -> Int8,
        name -> Bytea,
        address -> Bytea,
        phone -> Bytea,
        updated_at -> Timestamptz,
        name_index -> Array<Int8>,
        name_index_key -> Nullable<Int4>,
    }
}

diesel::table! {
    funders (id) {
        id -> Int8,
        name -> Text,
        kind -> Text,
        country -> Nullable<Text>,
        contact -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        programme_id -> Nullable<Int8>,
    }
}

diesel::table! {
    grant_districts (grant_id, district_id) {
        grant_id -> Int8,
        district_id -> Int8,
        programme_id -> Int8,
    }
}

diesel::table! {
    grants (id) {
        id -> Int8,
        programme_id -> Int8,
        funder_id -> Int8,
        reference -> Text,
        amount_minor -> Int8,
        currency -> Text,
        starts_on -> Date,
        ends_on -> Date,
        purpose -> Text,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Int8,
        key -> Text,
        request_sha256 -> Bytea,
        status -> Int2,
        response -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Int8,
        user_id -> Int8,
        code_hash -> Text,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
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
    mother_status_changes (id) {
        id -> Int8,
        mother_id -> Int8,
        from_status -> Nullable<Text>,
        to_status -> Text,
        changed_on -> Date,
        changed_by -> Nullable<Int8>,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    mothers (id) {
        id -> Int8,
        programme_id -> Int8,
        district_id -> Nullable<Int8>,
        full_name -> Text,
        phone -> Bytea,
        email -> Nullable<Bytea>,
        languages -> Array<Nullable<Text>>,
        country_of_origin -> Nullable<Text>,
        gender -> Text,
        engagement -> Text,
        monthly_allowance_minor -> Nullable<Int8>,
        joined_on -> Date,
        status -> Text,
        note -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        erased_at -> Nullable<Timestamptz>,
        consent_phone_contact -> Bool,
        consent_photos -> Bool,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    programme_worker_words (programme_id, language) {
        programme_id -> Int8,
        language -> Text,
        one -> Text,
        other -> Text,
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
        completion_threshold_percent -> Int2,
        practice_visits_allowed -> Bool,
        contact_origins -> Array<Text>,
        anonymous_by_default -> Bool,
        retention_months -> Nullable<Int4>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Int8,
        user_id -> Int8,
        code_hash -> Text,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    referrals (id) {
        id -> Int8,
        programme_id -> Int8,
        visit_id -> Int8,
        service -> Text,
        status -> Text,
        done_on -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        outcome_note -> Text,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Text,
        key -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    second_factor_roles (role) {
        role -> Text,
        required -> Bool,
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
    visit_plan_steps (programme_id, number) {
        programme_id -> Int8,
        number -> Int4,
        topic_ids -> Array<Int8>,
        note -> Text,
    }
}

diesel::table! {
    topics (id) {
        id -> Int8,
        programme_id -> Nullable<Int8>,
        key -> Nullable<Text>,
        label -> Text,
        retired_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        list -> Text,
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
        mother_id -> Nullable<Int8>,
        totp_secret -> Nullable<Bytea>,
        totp_on_at -> Nullable<Timestamptz>,
        totp_last_step -> Nullable<Int8>,
    }
}

diesel::table! {
    visit_topics (visit_id, topic_id) {
        visit_id -> Int8,
        topic_id -> Int8,
    }
}

diesel::table! {
    visits (id) {
        id -> Int8,
        programme_id -> Int8,
        mother_id -> Int8,
        family_id -> Nullable<Int8>,
        visited_on -> Date,
        duration_minutes -> Int4,
        kind -> Text,
        interpreter_used -> Bool,
        next_step -> Text,
        note -> Bytea,
        recorded_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        voided_at -> Nullable<Timestamptz>,
        void_reason -> Nullable<Text>,
        voided_by -> Nullable<Int8>,
        entered_by_mother -> Bool,
        reviewed_at -> Nullable<Timestamptz>,
        reviewed_by -> Nullable<Int8>,
        contact_origin -> Nullable<Text>,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    participants (id) {
        id -> Int8,
        programme_id -> Int8,
        code -> Text,
        origin -> Text,
        country -> Nullable<Text>,
        age_band -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    event_participants (event_id, participant_id) {
        event_id -> Int8,
        participant_id -> Int8,
        programme_id -> Int8,
    }
}

diesel::table! {
    partnerships (id) {
        id -> Int8,
        programme_id -> Int8,
        local_id -> Int8,
        migrant_id -> Int8,
        started_on -> Date,
        ended_on -> Nullable<Date>,
    }
}

diesel::table! {
    questionnaires (id) {
        id -> Int8,
        programme_id -> Int8,
        title -> Jsonb,
        subject -> Text,
        items -> Jsonb,
        template -> Nullable<Text>,
        retired_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    questionnaire_responses (id) {
        id -> Int8,
        questionnaire_id -> Int8,
        programme_id -> Int8,
        point -> Text,
        mother_id -> Nullable<Int8>,
        family_id -> Nullable<Int8>,
        answered_on -> Date,
        answers -> Jsonb,
        entered_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    programme_profiles (programme_id) {
        programme_id -> Int8,
        goal -> Text,
        approach -> Text,
        beneficiaries -> Text,
        evaluation -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(access_log -> programmes (programme_id));
diesel::joinable!(access_log -> users (user_id));
diesel::joinable!(allowance_runs -> programmes (programme_id));
diesel::joinable!(programme_worker_words -> programmes (programme_id));
diesel::joinable!(allowance_runs -> users (created_by));
diesel::joinable!(attendance -> course_modules (module_id));
diesel::joinable!(attendance -> enrolments (enrolment_id));
diesel::joinable!(attendance -> users (recorded_by));
diesel::joinable!(audit_events -> users (actor_id));
diesel::joinable!(course_modules -> courses (course_id));
diesel::joinable!(course_modules -> curriculum_topics (topic_id));
diesel::joinable!(courses -> programmes (programme_id));
diesel::joinable!(courses -> users (trainer_id));
diesel::joinable!(curriculum_template_modules -> curriculum_topics (topic_id));
diesel::joinable!(curriculum_template_modules -> programmes (programme_id));
diesel::joinable!(curriculum_topics -> programmes (programme_id));
diesel::joinable!(districts -> programmes (programme_id));
diesel::joinable!(events -> programmes (programme_id));
diesel::joinable!(event_participants -> events (event_id));
diesel::joinable!(event_participants -> participants (participant_id));
diesel::joinable!(participants -> programmes (programme_id));
diesel::joinable!(questionnaire_responses -> questionnaires (questionnaire_id));
diesel::joinable!(families -> programmes (programme_id));
diesel::joinable!(families -> users (consent_recorded_by));
diesel::joinable!(family_personal -> families (family_id));
diesel::joinable!(funders -> programmes (programme_id));
diesel::joinable!(grants -> funders (funder_id));
diesel::joinable!(mother_status_changes -> mothers (mother_id));
diesel::joinable!(mother_status_changes -> users (changed_by));
diesel::joinable!(mothers -> programmes (programme_id));
diesel::joinable!(referrals -> programmes (programme_id));
diesel::joinable!(referrals -> visits (visit_id));
diesel::joinable!(topics -> programmes (programme_id));
diesel::joinable!(user_programmes -> programmes (programme_id));
diesel::joinable!(user_programmes -> users (user_id));
diesel::joinable!(visit_topics -> topics (topic_id));
diesel::joinable!(visit_topics -> visits (visit_id));
diesel::joinable!(visits -> users (recorded_by));

diesel::allow_tables_to_appear_in_same_query!(
    recovery_codes,
    second_factor_roles,
    access_log,
    allowance_runs,
    api_tokens,
    attendance,
    audit_events,
    course_modules,
    courses,
    curriculum_template_modules,
    curriculum_topics,
    data_keys,
    districts,
    enrolments,
    event_mothers,
    events,
    expenses,
    families,
    family_personal,
    funders,
    grant_districts,
    grants,
    idempotency_keys,
    invitations,
    login_attempts,
    mother_status_changes,
    mothers,
    programme_worker_words,
    programmes,
    referrals,
    server_keys,
    sessions,
    topics,
    user_programmes,
    users,
    visit_topics,
    visits,
    visit_plan_steps,
    participants,
    event_participants,
    partnerships,
    questionnaires,
    questionnaire_responses,
    programme_profiles,
);
