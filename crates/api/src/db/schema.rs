// The tables of migrations/{sqlite,postgres}; both backends share this schema.

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    /// One row: the version of users, roles, grants, org trees and API keys (see auth::cache).
    access_epoch (id) {
        id -> Integer,
        epoch -> BigInt,
    }
}

diesel::table! {
    org_units (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        email_key -> Text,
        display_name -> Text,
        password_hash -> Text,
        is_active -> Bool,
        team_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        locale -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        time_zone -> Text,
    }
}

diesel::table! {
    roles (id) {
        id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        is_builtin -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    role_grants (role_id, resource, action) {
        role_id -> Text,
        resource -> Text,
        action -> Text,
        scope -> Text,
    }
}

diesel::table! {
    user_roles (user_id, role_id) {
        user_id -> Text,
        role_id -> Text,
    }
}

diesel::table! {
    user_regions (user_id, region_id) {
        user_id -> Text,
        region_id -> Text,
    }
}

diesel::table! {
    user_product_lines (user_id, product_line_id) {
        user_id -> Text,
        product_line_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        user_id -> Text,
        prefix -> Text,
        key_hash -> Text,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (email_key) {
        email_key -> Text,
        failures -> Integer,
        window_start -> BigInt,
        locked_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    customers (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        industry -> Nullable<Text>,
        source -> Nullable<Text>,
        region_id -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        lifecycle_stage -> Text,
        tags -> Text,
        phones -> Text,
        emails -> Text,
        address -> Nullable<Text>,
        notes -> Nullable<Text>,
        search_text -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
        keys_version -> Integer,
        merged_into_id -> Nullable<Text>,
        last_activity_at -> Nullable<Timestamp>,
        owned_since -> Nullable<Timestamp>,
        renewal_on -> Nullable<Date>,
        maintenance_on -> Nullable<Date>,
    }
}

diesel::table! {
    customer_keys (customer_id, kind, key) {
        customer_id -> Text,
        kind -> Text,
        key -> Text,
    }
}

diesel::table! {
    customer_duplicate_overrides (id) {
        id -> Text,
        customer_id -> Text,
        reason -> Text,
        candidate_ids -> Text,
        created_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_product_lines (customer_id, product_line_id) {
        customer_id -> Text,
        product_line_id -> Text,
    }
}

diesel::table! {
    customer_tags (customer_id, tag) {
        customer_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    customer_collaborators (customer_id, user_id) {
        customer_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    customer_stage_changes (id) {
        id -> Text,
        customer_id -> Text,
        from_stage -> Text,
        to_stage -> Text,
        reason -> Nullable<Text>,
        automatic -> Bool,
        changed_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    customer_owner_changes (id) {
        id -> Text,
        customer_id -> Text,
        kind -> Text,
        from_owner_id -> Nullable<Text>,
        to_owner_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        changed_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        changed_at -> Timestamp,
        to_team_id -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        entity -> Text,
        entity_id -> Text,
        customer_id -> Nullable<Text>,
        action -> Text,
        changes -> Text,
        user_id -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        at -> Timestamp,
        import_id -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        title -> Nullable<Text>,
        phones -> Text,
        emails -> Text,
        notes -> Nullable<Text>,
        search_text -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
        do_not_contact -> Text,
        birthday -> Nullable<Text>,
        birthday_md -> Nullable<Text>,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        customer_id -> Text,
        contact_id -> Nullable<Text>,
        kind -> Text,
        subject -> Nullable<Text>,
        notes -> Nullable<Text>,
        owner_id -> Text,
        due_at -> Nullable<Timestamp>,
        all_day -> Bool,
        done_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        place -> Nullable<Text>,
        next_follow_up_on -> Nullable<Text>,
        sort_at -> Timestamp,
        created_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}
diesel::table! {
    activity_participants (activity_id, user_id) {
        activity_id -> Text,
        user_id -> Text,
    }
}
diesel::joinable!(activities -> customers (customer_id));
diesel::joinable!(activity_participants -> activities (activity_id));
diesel::joinable!(contacts -> customers (customer_id));
diesel::joinable!(customer_stage_changes -> customers (customer_id));
diesel::joinable!(customer_keys -> customers (customer_id));
diesel::joinable!(customer_owner_changes -> customers (customer_id));
diesel::joinable!(customer_duplicate_overrides -> customers (customer_id));
diesel::joinable!(role_grants -> roles (role_id));
diesel::joinable!(user_roles -> roles (role_id));

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        created_by -> Text,
        api_key_id -> Nullable<Text>,
        file_name -> Nullable<Text>,
        kind -> Text,
        encoding -> Text,
        column_names -> Text,
        source -> Text,
        mapping -> Text,
        policy -> Text,
        status -> Text,
        total_rows -> BigInt,
        done_rows -> BigInt,
        created_count -> BigInt,
        updated_count -> BigInt,
        skipped_count -> BigInt,
        failed_count -> BigInt,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        undone_at -> Nullable<Timestamp>,
        version -> BigInt,
        heartbeat_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_rows (import_id, seq) {
        import_id -> Text,
        seq -> BigInt,
        line -> BigInt,
        outcome -> Text,
        code -> Nullable<Text>,
        column_name -> Nullable<Text>,
        message -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        contact_id -> Nullable<Text>,
        customer_version -> Nullable<BigInt>,
        before -> Nullable<Text>,
    }
}

diesel::table! {
    import_templates (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        mapping -> Text,
        policy -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notification_preferences (user_id) {
        user_id -> Text,
        in_app -> Bool,
        email -> Bool,
        quiet_start -> Nullable<Integer>,
        quiet_end -> Nullable<Integer>,
        kinds_off -> Text,
        birthday_days_before -> Integer,
        renewal_days_before -> Integer,
        maintenance_days_before -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        dedup_key -> Text,
        title -> Text,
        body -> Nullable<Text>,
        record_type -> Nullable<Text>,
        record_id -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        due_at -> Timestamp,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        shown -> Bool,
        email_state -> Text,
        email_after -> Nullable<Timestamp>,
        email_lease_until -> Nullable<Timestamp>,
        email_attempts -> Integer,
        email_sent_at -> Nullable<Timestamp>,
        params -> Nullable<Text>,
    }
}

diesel::table! {
    reminders (id) {
        id -> Text,
        user_id -> Text,
        remind_at -> Timestamp,
        note -> Text,
        customer_id -> Nullable<Text>,
        activity_id -> Nullable<Text>,
        fired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_tokens (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pipelines (id) {
        id -> Text,
        name -> Text,
        team_id -> Nullable<Text>,
        product_line_id -> Nullable<Text>,
        is_default -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    pipeline_stages (id) {
        id -> Text,
        pipeline_id -> Text,
        stage_key -> Nullable<Text>,
        name -> Text,
        kind -> Text,
        position -> Integer,
        probability -> Integer,
        forecast_category -> Text,
        stale_after_days -> Nullable<Integer>,
        retired -> Bool,
    }
}

diesel::table! {
    stage_checklist_items (id) {
        id -> Text,
        stage_id -> Text,
        label -> Text,
        required -> Bool,
        position -> Integer,
        retired -> Bool,
    }
}

diesel::table! {
    loss_reasons (id) {
        id -> Text,
        label -> Text,
        active -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    competitors (id) {
        id -> Text,
        name -> Text,
        website -> Nullable<Text>,
        strengths -> Nullable<Text>,
        weaknesses -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunities (id) {
        id -> Text,
        name -> Text,
        customer_id -> Text,
        pipeline_id -> Text,
        stage_id -> Text,
        status -> Text,
        owner_id -> Text,
        team_id -> Nullable<Text>,
        region_id -> Nullable<Text>,
        product_line_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        amount_minor -> BigInt,
        currency -> Text,
        expected_close_on -> Text,
        probability -> Integer,
        probability_override -> Nullable<Integer>,
        forecast_category -> Text,
        weighted_minor -> BigInt,
        forecast_on -> Text,
        source_lead_id -> Nullable<Text>,
        campaign -> Nullable<Text>,
        stage_entered_at -> Timestamp,
        closed_on -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        loss_reason_id -> Nullable<Text>,
        lost_to_competitor_id -> Nullable<Text>,
        close_notes -> Nullable<Text>,
        created_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    opportunity_contacts (opportunity_id, contact_id) {
        opportunity_id -> Text,
        contact_id -> Text,
    }
}

diesel::table! {
    opportunity_stage_history (id) {
        id -> Text,
        opportunity_id -> Text,
        from_stage_id -> Nullable<Text>,
        stage_id -> Text,
        entered_at -> Timestamp,
        left_at -> Nullable<Timestamp>,
        by_user_id -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
    }
}

diesel::table! {
    opportunity_checklist (opportunity_id, item_id) {
        opportunity_id -> Text,
        item_id -> Text,
        done_at -> Timestamp,
        done_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
    }
}

diesel::table! {
    opportunity_competitors (opportunity_id, competitor_id) {
        opportunity_id -> Text,
        competitor_id -> Text,
        strengths -> Nullable<Text>,
        weaknesses -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    competitor_activities (id) {
        id -> Text,
        opportunity_id -> Text,
        competitor_id -> Text,
        happened_on -> Text,
        note -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    quotas (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        period_kind -> Text,
        period_start -> Text,
        amount_minor -> BigInt,
        currency -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    forecast_cells (currency, month, owner_id, forecast_category, status, pipeline_id, team_id, region_id, product_line_id, partner_id) {
        currency -> Text,
        month -> Text,
        pipeline_id -> Text,
        owner_id -> Text,
        team_id -> Text,
        region_id -> Text,
        product_line_id -> Text,
        partner_id -> Text,
        forecast_category -> Text,
        status -> Text,
        deals -> BigInt,
        amount_minor -> BigInt,
        weighted_minor -> BigInt,
    }
}

diesel::joinable!(import_rows -> imports (import_id));
diesel::joinable!(opportunities -> customers (customer_id));
diesel::joinable!(opportunities -> pipeline_stages (stage_id));

// Sales leads (migration 2026-11-30-001001_leads).
diesel::table! {
    leads (id) {
        id -> Text,
        name -> Text,
        company -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        industry -> Nullable<Text>,
        region_id -> Nullable<Text>,
        product_line_id -> Nullable<Text>,
        source -> Text,
        campaign -> Nullable<Text>,
        notes -> Nullable<Text>,
        status -> Text,
        score -> Integer,
        activity_count -> Integer,
        form_submissions -> Integer,
        owner_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        form_id -> Nullable<Text>,
        rule_id -> Nullable<Text>,
        search_text -> Text,
        converted_customer_id -> Nullable<Text>,
        converted_contact_id -> Nullable<Text>,
        converted_opportunity_id -> Nullable<Text>,
        converted_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        api_key_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}
diesel::table! {
    lead_assignment_rules (id) {
        id -> Text,
        position -> Integer,
        region_id -> Nullable<Text>,
        industry -> Nullable<Text>,
        product_line_id -> Nullable<Text>,
        method -> Text,
        user_ids -> Text,
        team_id -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        fallback_team_id -> Nullable<Text>,
        active -> Bool,
        last_user_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}
diesel::table! {
    lead_forms (id) {
        id -> Text,
        name -> Text,
        source -> Text,
        campaign -> Nullable<Text>,
        team_id -> Nullable<Text>,
        active -> Bool,
        token_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        allowed_origins -> Text,
    }
}
diesel::table! {
    lead_form_hits (id) {
        id -> Text,
        form_id -> Text,
        client -> Text,
        at -> Timestamp,
    }
}
// Leads meet users (owners' teams) in one query; kept apart from the list
// above so that each aggregate adds its own tables.
diesel::allow_tables_to_appear_in_same_query!(
    leads,
    lead_assignment_rules,
    lead_forms,
    lead_form_hits,
    users,
);

diesel::allow_tables_to_appear_in_same_query!(
    access_epoch,
    settings,
    org_units,
    users,
    roles,
    role_grants,
    user_roles,
    user_regions,
    user_product_lines,
    refresh_tokens,
    api_keys,
    login_failures,
    customers,
    customer_product_lines,
    customer_tags,
    customer_collaborators,
    customer_stage_changes,
    customer_keys,
    customer_owner_changes,
    audit_log,
    customer_duplicate_overrides,
    contacts,
    idempotency_keys,
    imports,
    import_rows,
    import_templates,
    activities,
    activity_participants,
    notification_preferences,
    notifications,
    reminders,
    calendar_tokens,
    pipelines,
    pipeline_stages,
    stage_checklist_items,
    loss_reasons,
    competitors,
    opportunities,
    opportunity_contacts,
    opportunity_stage_history,
    opportunity_checklist,
    opportunity_competitors,
    competitor_activities,
    quotas,
    forecast_cells,
);
