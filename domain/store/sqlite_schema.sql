-- The schema Glowpath's migrations make in a new SQLite database, and their records.
-- Written by `make schema` (`python -m domain.store.sqlite_snapshot`); not edited
-- by hand (domain/store/sqlite_snapshot.py says when it is used).

CREATE TABLE "tortoise_migrations" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "app" VARCHAR(255) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "applied_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_tortoise_mi_app_3803a5" UNIQUE ("app", "name")
);

CREATE TABLE "clinic" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL
, "stage_slas" JSON NOT NULL DEFAULT '{}');

CREATE TABLE "client" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "full_name" VARCHAR(200) NOT NULL,
    "birth_date" DATE NOT NULL,
    "phone" VARCHAR(40) NOT NULL,
    "email" VARCHAR(200),
    "occupation" VARCHAR(200),
    "data_consent_at" TIMESTAMP NOT NULL,
    "registered_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL REFERENCES "clinic" ("id") ON DELETE CASCADE
);

CREATE TABLE "idempotency_key" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "account_id" VARCHAR(64) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "result_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL, "digest" VARCHAR(64), "salt" VARCHAR(32),
    CONSTRAINT "uid_idempotency_account_b21a9c" UNIQUE ("account_id", "key")
);

CREATE TABLE "journey" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "consultant_id" VARCHAR(64),
    "stage" VARCHAR(32) NOT NULL,
    "visit_category" VARCHAR(32) NOT NULL,
    "active" INT NOT NULL,
    "started_at" TIMESTAMP NOT NULL,
    "stage_entered_at" TIMESTAMP NOT NULL,
    "last_event_seq" INT NOT NULL,
    "facts" JSON NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE CASCADE
, "sla_deadline" TIMESTAMP, "stuck" INT NOT NULL DEFAULT FALSE, "stuck_reason" VARCHAR(200), "stuck_since" TIMESTAMP, "stuck_reason_code" VARCHAR(40));

CREATE TABLE "journey_record" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "journey_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "body" JSON NOT NULL,
    "author_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "amends_id" VARCHAR(64) REFERENCES "journey_record" ("id") ON DELETE CASCADE
);

CREATE TABLE "staff_account" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "username" VARCHAR(100) NOT NULL UNIQUE,
    "display_name" VARCHAR(200) NOT NULL,
    "role" VARCHAR(32) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "active" INT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL REFERENCES "clinic" ("id") ON DELETE CASCADE
, "tokens_valid_after" TIMESTAMP, "must_change_password" INT NOT NULL DEFAULT FALSE, "senior_title" INT NOT NULL DEFAULT FALSE);

CREATE TABLE "ownership_transfer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "consultant_id" VARCHAR(64),
    "from_consultant_id" VARCHAR(64),
    "reason" VARCHAR(1000) NOT NULL,
    "entry_seq" INT NOT NULL,
    "at" TIMESTAMP NOT NULL
);

CREATE TABLE "revenue_credit" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "consultant_id" VARCHAR(64) NOT NULL,
    "percent" INT NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "entry_seq" INT NOT NULL,
    "at" TIMESTAMP NOT NULL
);

CREATE TABLE "triage_board" (
    "clinic_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "version" INT NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "state" JSON NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
);

CREATE TABLE "triage_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "seq" INT NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "actor_id" VARCHAR(64) NOT NULL,
    "consultant_id" VARCHAR(64),
    "journey_id" VARCHAR(64),
    "client_id" VARCHAR(64),
    "counted" INT NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "policy" VARCHAR(100) NOT NULL,
    "amends_seq" INT,
    "details" JSON NOT NULL,
    CONSTRAINT "uid_triage_entr_clinic__e5a0c3" UNIQUE ("clinic_id", "seq")
);

CREATE TABLE "active_journey_claim" (
    "client_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "journey_id" VARCHAR(64) NOT NULL,
    "claimed_at" TIMESTAMP NOT NULL
);

CREATE TABLE "lead_contact" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "consultant_id" VARCHAR(64) NOT NULL,
    "channel" VARCHAR(32) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "note" VARCHAR(1000)
, "request_id" VARCHAR(64));

CREATE TABLE "desk_note" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "author_id" VARCHAR(64) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "text" TEXT NOT NULL,
    "policy_name" VARCHAR(100),
    "created_at" TIMESTAMP NOT NULL
);

CREATE TABLE "revoked_token" (
    "token_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "account_id" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMP NOT NULL
);

CREATE TABLE "audit_chain_head" (
    "clinic_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "seq" BIGINT NOT NULL,
    "hash" VARCHAR(64) NOT NULL
);

CREATE TABLE "audit_entry" (
    "id" VARCHAR(36) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "actor_id" VARCHAR(64) NOT NULL,
    "actor_role" VARCHAR(32) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "request_id" VARCHAR(128),
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,
    CONSTRAINT "uid_audit_entry_clinic__030916" UNIQUE ("clinic_id", "seq")
);

CREATE TABLE "journey_event" (
            "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            "journey_id" VARCHAR(64) NOT NULL,
            "seq" INT NOT NULL,
            "action" VARCHAR(40) NOT NULL,
            "from_stage" VARCHAR(32),
            "to_stage" VARCHAR(32) NOT NULL,
            "actor_id" VARCHAR(64) NOT NULL,
            "actor_role" VARCHAR(32) NOT NULL,
            "at" TIMESTAMP NOT NULL,
            "summary" VARCHAR(500) NOT NULL,
            "record_id" VARCHAR(64) UNIQUE REFERENCES "journey_record" ("id") ON DELETE RESTRICT, "facts" JSON, "clinic_id" VARCHAR(64),
            CONSTRAINT "uid_journey_eve_journey_0754cc" UNIQUE ("journey_id", "seq")
        );

CREATE TABLE "journey_record_void" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "record_id" VARCHAR(64) NOT NULL UNIQUE REFERENCES "journey_record" ("id") ON DELETE RESTRICT
);

CREATE TABLE "client_entry" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "body" JSON NOT NULL,
    "author_id" VARCHAR(64) NOT NULL,
    "author_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "reason" VARCHAR(1000),
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT,
    "amends_id" VARCHAR(64)  UNIQUE REFERENCES "client_entry" ("id") ON DELETE RESTRICT
);

CREATE TABLE "client_entry_error" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "reason" VARCHAR(1000) NOT NULL,
    "author_id" VARCHAR(64) NOT NULL,
    "author_role" VARCHAR(32) NOT NULL,
    "marked_at" TIMESTAMP NOT NULL,
    "entry_id" VARCHAR(64) NOT NULL UNIQUE REFERENCES "client_entry" ("id") ON DELETE RESTRICT
);

CREATE TABLE "client_identity_amendment" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "full_name" VARCHAR(200) NOT NULL,
    "phone" VARCHAR(40),
    "email" VARCHAR(200),
    "reason" VARCHAR(1000) NOT NULL,
    "author_id" VARCHAR(64) NOT NULL,
    "author_role" VARCHAR(32) NOT NULL,
    "amended_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "consent_template_version" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "template_key" VARCHAR(100) NOT NULL,
    "procedure_type" VARCHAR(100) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "version" INT NOT NULL,
    "texts" JSON NOT NULL,
    "content_hash" VARCHAR(64) NOT NULL,
    "published_by" VARCHAR(64) NOT NULL,
    "published_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_consent_tem_clinic__d2ead4" UNIQUE ("clinic_id", "template_key", "version")
);

CREATE TABLE "consent_signature" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64),
    "content_hash" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "language" VARCHAR(16) NOT NULL,
    "signer_name" VARCHAR(200) NOT NULL,
    "capacity" VARCHAR(16) NOT NULL,
    "guardian_name" VARCHAR(200),
    "guardian_relation" VARCHAR(100),
    "witness_id" VARCHAR(64) NOT NULL,
    "witness_role" VARCHAR(32) NOT NULL,
    "signature_format" VARCHAR(16),
    "signature_data" TEXT,
    "signed_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT,
    "template_version_id" VARCHAR(64) NOT NULL REFERENCES "consent_template_version" ("id") ON DELETE RESTRICT
);

CREATE TABLE "consent_withdrawal" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "recorded_by" VARCHAR(64) NOT NULL,
    "withdrawn_at" TIMESTAMP NOT NULL,
    "signature_id" VARCHAR(64) NOT NULL UNIQUE REFERENCES "consent_signature" ("id") ON DELETE RESTRICT
);

CREATE TABLE "catalog_item_version" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "item_id" VARCHAR(64) NOT NULL,
    "version" INT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "ingredients" JSON NOT NULL,
    "allergens" JSON NOT NULL,
    "interacting_medications" JSON NOT NULL,
    "excluded_states" JSON NOT NULL,
    "minimum_age" INT,
    "published_by" VARCHAR(64) NOT NULL,
    "published_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_catalog_ite_clinic__829cac" UNIQUE ("clinic_id", "item_id", "version")
);

CREATE TABLE "photo" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "body_area" VARCHAR(100) NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "size_bytes" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "storage_key" VARCHAR(128) NOT NULL,
    "taken_by" VARCHAR(64) NOT NULL,
    "taken_by_role" VARCHAR(32) NOT NULL,
    "uploaded_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "photo_consent_change" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "given" INT NOT NULL,
    "signature_id" VARCHAR(64),
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_by_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "aftercare_setting" (
    "clinic_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "follow_up_assignee" VARCHAR(32) NOT NULL,
    "overdue_after_seconds" INT NOT NULL,
    "warranty_days" INT NOT NULL,
    "warranty_terms" TEXT
);

CREATE TABLE "follow_up_task" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "follow_up_id" VARCHAR(16),
    "kind" VARCHAR(32) NOT NULL,
    "label" VARCHAR(16),
    "status" VARCHAR(16) NOT NULL,
    "due_at" TIMESTAMP NOT NULL,
    "assignee_role" VARCHAR(32) NOT NULL,
    "assignee_id" VARCHAR(64),
    "attempts" INT NOT NULL,
    "escalated" INT NOT NULL,
    "linked_journey_id" VARCHAR(64),
    "journey_seq" INT NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
);

CREATE TABLE "survey_response" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "doctor_id" VARCHAR(64),
    "procedure_type" VARCHAR(100),
    "month" VARCHAR(7) NOT NULL,
    "scores" JSON NOT NULL,
    "comment" TEXT,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL
);

CREATE TABLE "warranty_card" (
    "number" VARCHAR(32) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL UNIQUE,
    "client_id" VARCHAR(64) NOT NULL,
    "issued_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "terms" TEXT NOT NULL
);

CREATE TABLE "warranty_claim" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "recheck_journey_id" VARCHAR(64) NOT NULL,
    "reason" TEXT NOT NULL,
    "claimed_by" VARCHAR(64) NOT NULL,
    "claimed_at" TIMESTAMP NOT NULL,
    "card_id" VARCHAR(32) NOT NULL REFERENCES "warranty_card" ("number") ON DELETE RESTRICT
);

CREATE TABLE "procedure_type_version" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "type_key" VARCHAR(100) NOT NULL,
    "version" INT NOT NULL,
    "category" VARCHAR(32) NOT NULL,
    "content" JSON NOT NULL,
    "content_hash" VARCHAR(64) NOT NULL,
    "published_by" VARCHAR(64) NOT NULL,
    "published_at" TIMESTAMP NOT NULL, "anaesthesia" VARCHAR(16) NOT NULL DEFAULT 'NONE',
    CONSTRAINT "uid_procedure_t_clinic__b7b8e1" UNIQUE ("clinic_id", "type_key", "version")
);

CREATE TABLE "checklist_completion" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "version_id" VARCHAR(64) NOT NULL,
    "item_code" VARCHAR(50) NOT NULL,
    "result" TEXT,
    "completed_by" VARCHAR(64) NOT NULL,
    "completed_at" TIMESTAMP NOT NULL
);

CREATE TABLE "treatment_product" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "lot_number" VARCHAR(200) NOT NULL,
    "dose" VARCHAR(200) NOT NULL,
    "body_area" VARCHAR(200),
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL
);

CREATE TABLE "bill" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal_minor" BIGINT NOT NULL,
    "discount_minor" BIGINT NOT NULL,
    "discount_reason" TEXT,
    "discount_granted_by" VARCHAR(64),
    "total_minor" BIGINT NOT NULL,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
, "partner_staff" VARCHAR(32) NOT NULL DEFAULT 'NONE');

CREATE TABLE "bill_confirmation" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "signer_name" VARCHAR(200) NOT NULL,
    "signature_format" VARCHAR(16),
    "signature_data" TEXT,
    "witness_id" VARCHAR(64) NOT NULL,
    "witness_role" VARCHAR(32) NOT NULL,
    "confirmed_at" TIMESTAMP NOT NULL,
    "bill_id" VARCHAR(64) NOT NULL UNIQUE REFERENCES "bill" ("id") ON DELETE RESTRICT
);

CREATE TABLE "bill_line" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "position" INT NOT NULL,
    "price_item_id" VARCHAR(64) NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "quantity" INT NOT NULL,
    "list_price_minor" BIGINT NOT NULL,
    "unit_price_minor" BIGINT NOT NULL,
    "special_price" INT NOT NULL,
    "consumable_cost_minor" BIGINT NOT NULL,
    "line_total_minor" BIGINT NOT NULL,
    "bill_id" VARCHAR(64) NOT NULL REFERENCES "bill" ("id") ON DELETE RESTRICT
, "minor_procedure" INT NOT NULL DEFAULT FALSE);

CREATE TABLE "clinic_billing" (
    "clinic_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "currency" VARCHAR(3) NOT NULL,
    "locale" VARCHAR(32) NOT NULL,
    "discount_threshold_percent" INT NOT NULL,
    "payment_policy" VARCHAR(16) NOT NULL
);

CREATE TABLE "installment_due" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "bill_id" VARCHAR(64) NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "seq" INT NOT NULL,
    "due_on" DATE NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    CONSTRAINT "uid_installment_bill_id_0631fb" UNIQUE ("bill_id", "seq")
);

CREATE TABLE "installment_overdue" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "bill_id" VARCHAR(64) NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "seq" INT NOT NULL,
    "owed_by_then_minor" BIGINT NOT NULL,
    "noted_at" TIMESTAMP NOT NULL
);

CREATE TABLE "payment" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "bill_id" VARCHAR(64),
    "kind" VARCHAR(32) NOT NULL,
    "method" VARCHAR(32) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "receipt_number" BIGINT NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_payment_clinic__f2149d" UNIQUE ("clinic_id", "receipt_number")
);

CREATE TABLE "price_list_item" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "version" INT NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "list_price_minor" BIGINT NOT NULL,
    "special_price_minor" BIGINT,
    "consumable_cost_minor" BIGINT,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "set_by" VARCHAR(64) NOT NULL,
    "set_at" TIMESTAMP NOT NULL, "minor_procedure" INT NOT NULL DEFAULT FALSE,
    CONSTRAINT "uid_price_list__clinic__94ffa6" UNIQUE ("clinic_id", "code", "version")
);

CREATE TABLE "receipt_counter" (
    "clinic_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "last_number" BIGINT NOT NULL
);

CREATE TABLE "refund" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "bill_id" VARCHAR(64),
    "amount_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "before_treatment" INT NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "payment_id" VARCHAR(64) NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT
, "kind" VARCHAR(16) NOT NULL DEFAULT 'REVERSAL');

CREATE TABLE "partner_registration" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "partner_id" VARCHAR(64) NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "version" INT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "agreement_reference" VARCHAR(200),
    "bank_details" VARCHAR(500),
    "premises_photo_ids" JSON NOT NULL,
    "registered_by" VARCHAR(64) NOT NULL,
    "registered_at" TIMESTAMP NOT NULL, "name_order" VARCHAR(600),
    CONSTRAINT "uid_partner_reg_partner_67ad27" UNIQUE ("partner_id", "version")
);

CREATE TABLE "partner_referral" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "partner_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL UNIQUE,
    "client_id" VARCHAR(64) NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "at" TIMESTAMP NOT NULL
);

CREATE TABLE "partner_lapse" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "partner_id" VARCHAR(64) NOT NULL,
    "milestone" VARCHAR(32) NOT NULL,
    "due_at" TIMESTAMP NOT NULL,
    "flagged_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_partner_lap_partner_8b0237" UNIQUE ("partner_id", "milestone")
);

CREATE TABLE "task_closing" (
    "task_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "closed_by" VARCHAR(64) NOT NULL,
    "closed_by_role" VARCHAR(32) NOT NULL,
    "closed_at" TIMESTAMP NOT NULL,
    "note" TEXT NOT NULL
, "request_id" VARCHAR(64));

CREATE TABLE "task_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "task_id" VARCHAR(64) NOT NULL,
    "at" TIMESTAMP NOT NULL
);

CREATE TABLE "journey_stage_count" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "active" INT NOT NULL,
    "stuck" INT NOT NULL,
    CONSTRAINT "uid_journey_sta_clinic__280d27" UNIQUE ("clinic_id", "stage")
);

CREATE TABLE "stage_stay" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "seq" INT NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "ended_at" TIMESTAMP NOT NULL,
    "seconds" REAL NOT NULL,
    CONSTRAINT "uid_stage_stay_journey_595ab0" UNIQUE ("journey_id", "seq")
);

CREATE TABLE "staff_name" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "account_id" VARCHAR(64) NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "display_name" VARCHAR(200) NOT NULL,
    "since" TIMESTAMP NOT NULL,
    "after_seq" BIGINT NOT NULL
);

CREATE TABLE "active_recheck_claim" (
    "client_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "journey_id" VARCHAR(64) NOT NULL,
    "claimed_at" TIMESTAMP NOT NULL
);

CREATE TABLE "photo_consent_grant" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "signature_id" VARCHAR(64),
    "changes" JSON NOT NULL,
    "granted_by" VARCHAR(64) NOT NULL,
    "granted_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "live_subscription_lease" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "account_id" VARCHAR(64) NOT NULL,
    "holder" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMP NOT NULL
);

CREATE TABLE "recheck_kept" (
    "booking_journey_id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "visit_journey_id" VARCHAR(64) NOT NULL UNIQUE,
    "kept_at" TIMESTAMP NOT NULL
);

CREATE TABLE "client_match_key" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    CONSTRAINT "uid_client_matc_client__0c49b6" UNIQUE ("client_id", "key")
);

CREATE TABLE "consent_withdrawal_after_journey" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "note" TEXT,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_by_role" VARCHAR(32) NOT NULL,
    "withdrawn_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_consent_wit_journey_8b58b7" UNIQUE ("journey_id", "kind")
);

CREATE TABLE "complication_report" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "note" TEXT NOT NULL,
    "task_id" VARCHAR(64) NOT NULL UNIQUE,
    "recheck_journey_id" VARCHAR(64) NOT NULL,
    "reported_by" VARCHAR(64) NOT NULL,
    "reported_by_role" VARCHAR(32) NOT NULL,
    "reported_at" TIMESTAMP NOT NULL
);

CREATE TABLE "file_disclosure" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "consent_signature_id" VARCHAR(64) NOT NULL,
    "recipient_name" VARCHAR(200) NOT NULL,
    "recipient_organisation" VARCHAR(200),
    "purpose" TEXT NOT NULL,
    "parts" JSON NOT NULL,
    "channel" VARCHAR(32) NOT NULL,
    "custodian_id" VARCHAR(64),
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_by_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "records_custodian_appointment" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "staff_id" VARCHAR(64) NOT NULL,
    "appointed_by" VARCHAR(64) NOT NULL,
    "appointed_by_role" VARCHAR(32) NOT NULL,
    "appointed_at" TIMESTAMP NOT NULL
);

CREATE TABLE "complaint" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "journey_id" VARCHAR(64),
    "channel" VARCHAR(32) NOT NULL,
    "category" VARCHAR(32),
    "description" TEXT NOT NULL,
    "received_at" TIMESTAMP NOT NULL,
    "first_answer_due_at" TIMESTAMP NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_by_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT
);

CREATE TABLE "complaint_entry" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "outcome" VARCHAR(32),
    "note" TEXT NOT NULL,
    "recorded_by" VARCHAR(64) NOT NULL,
    "recorded_by_role" VARCHAR(32) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "complaint_id" VARCHAR(64) NOT NULL REFERENCES "complaint" ("id") ON DELETE RESTRICT
);

CREATE TABLE "clinic_day_off" (
    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,
    "clinic_id" VARCHAR(64) NOT NULL,
    "day" DATE NOT NULL,
    "reason" VARCHAR(200),
    "set_by" VARCHAR(64) NOT NULL,
    "set_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_clinic_day__clinic__5264f3" UNIQUE ("clinic_id", "day")
);

CREATE TABLE "complaint_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "clinic_id" VARCHAR(64) NOT NULL,
    "complaint_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "at" TIMESTAMP NOT NULL
);

CREATE INDEX "idx_client_full_na_0f6a8e" ON "client" ("full_name");

CREATE INDEX "idx_client_phone_4756f4" ON "client" ("phone");

CREATE INDEX "idx_journey_clinic__e5a0f7" ON "journey" ("clinic_id");

CREATE INDEX "idx_journey_consult_6179ac" ON "journey" ("consultant_id");

CREATE INDEX "idx_journey_stage_f50f56" ON "journey" ("stage");

CREATE INDEX "idx_journey_active_2d44eb" ON "journey" ("active");

CREATE INDEX "idx_journey_started_f9900f" ON "journey" ("started_at");

CREATE INDEX "idx_journey_rec_journey_7b634d" ON "journey_record" ("journey_id");

CREATE INDEX "idx_journey_clinic__8ef508" ON "journey" ("clinic_id", "stuck", "sla_deadline");

CREATE INDEX "idx_ownership_t_client__d885d4" ON "ownership_transfer" ("client_id");

CREATE INDEX "idx_revenue_cre_journey_9b8ace" ON "revenue_credit" ("journey_id");

CREATE INDEX "idx_triage_entr_day_3aa2ef" ON "triage_entry" ("day");

CREATE INDEX "idx_triage_entr_journey_387568" ON "triage_entry" ("journey_id");

CREATE INDEX "idx_journey_clinic__b96a95" ON "journey" ("clinic_id", "active", "stage", "stuck");

CREATE INDEX "idx_lead_contac_client__6f4bff" ON "lead_contact" ("client_id");

CREATE INDEX "idx_desk_note_clinic__4b2d6d" ON "desk_note" ("clinic_id");

CREATE INDEX "idx_revoked_tok_expires_77ccc7" ON "revoked_token" ("expires_at");

CREATE INDEX "idx_audit_entry_clinic__4e32a8" ON "audit_entry" ("clinic_id", "client_id", "seq");

CREATE UNIQUE INDEX "uid_lead_contac_request_c817be" ON "lead_contact" ("request_id");

CREATE INDEX "idx_client_entr_client__2084c6" ON "client_entry" ("client_id", "kind", "recorded_at");

CREATE INDEX "idx_client_iden_client__c6ffd4" ON "client_identity_amendment" ("client_id", "amended_at");

CREATE INDEX "idx_consent_sig_client__d5d529" ON "consent_signature" ("client_id", "signed_at");

CREATE INDEX "idx_photo_client__b1ebc4" ON "photo" ("client_id", "uploaded_at");

CREATE INDEX "idx_photo_conse_client__386f75" ON "photo_consent_change" ("client_id", "recorded_at");

CREATE INDEX "idx_follow_up_t_journey_f0bb34" ON "follow_up_task" ("journey_id");

CREATE INDEX "idx_follow_up_t_clinic__781ae4" ON "follow_up_task" ("clinic_id", "status", "due_at");

CREATE INDEX "idx_survey_resp_journey_ef68f0" ON "survey_response" ("journey_id");

CREATE INDEX "idx_survey_resp_clinic__3a9fb1" ON "survey_response" ("clinic_id", "month");

CREATE INDEX "idx_checklist_c_journey_483b3d" ON "checklist_completion" ("journey_id", "completed_at");

CREATE INDEX "idx_treatment_p_clinic__e8693a" ON "treatment_product" ("clinic_id", "lot_number");

CREATE INDEX "idx_bill_journey_cc3626" ON "bill" ("journey_id");

CREATE INDEX "idx_bill_client__ed0021" ON "bill" ("client_id");

CREATE INDEX "idx_installment_bill_id_3a432d" ON "installment_due" ("bill_id");

CREATE INDEX "idx_installment_bill_id_7bdc77" ON "installment_overdue" ("bill_id");

CREATE INDEX "idx_installment_clinic__288518" ON "installment_overdue" ("clinic_id");

CREATE INDEX "idx_payment_journey_93207b" ON "payment" ("journey_id");

CREATE INDEX "idx_payment_client__d71de7" ON "payment" ("client_id");

CREATE INDEX "idx_payment_bill_id_368e6a" ON "payment" ("bill_id");

CREATE INDEX "idx_refund_client__253c7d" ON "refund" ("client_id");

CREATE INDEX "idx_partner_reg_partner_725b8d" ON "partner_registration" ("partner_id");

CREATE INDEX "idx_partner_reg_clinic__6e6560" ON "partner_registration" ("clinic_id");

CREATE INDEX "idx_partner_ref_partner_31779d" ON "partner_referral" ("partner_id");

CREATE INDEX "idx_partner_lap_partner_c8ef61" ON "partner_lapse" ("partner_id");

CREATE INDEX "idx_stage_stay_clinic__313c0b" ON "stage_stay" ("clinic_id", "ended_at", "stage", "seconds");

CREATE INDEX "idx_staff_name_account_e477c3" ON "staff_name" ("account_id", "since");

CREATE INDEX "idx_photo_conse_journey_794ab0" ON "photo_consent_grant" ("journey_id", "granted_at");

CREATE INDEX "idx_live_subscr_holder_cd5bf0" ON "live_subscription_lease" ("holder");

CREATE INDEX "idx_live_subscr_expires_7cb546" ON "live_subscription_lease" ("expires_at");

CREATE INDEX "idx_live_subscr_account_1f8197" ON "live_subscription_lease" ("account_id", "expires_at");

CREATE INDEX "idx_client_matc_clinic__176905" ON "client_match_key" ("clinic_id", "key");

CREATE INDEX "idx_client_clinic__7ca3a1" ON "client" ("clinic_id", "created_at", "id");

CREATE INDEX "idx_journey_client__c22edf" ON "journey" ("client_id", "active");

CREATE INDEX "idx_journey_rec_amends__84faf6" ON "journey_record" ("amends_id");

CREATE INDEX "idx_bill_line_bill_id_bc8dff" ON "bill_line" ("bill_id", "position");

CREATE INDEX "idx_payment_clinic__88ec98" ON "payment" ("clinic_id", "recorded_at");

CREATE INDEX "idx_refund_clinic__de7a4d" ON "refund" ("clinic_id", "recorded_at");

CREATE INDEX "idx_refund_payment_9157c2" ON "refund" ("payment_id");

CREATE INDEX "idx_refund_bill_id_7bf63a" ON "refund" ("bill_id");

CREATE INDEX "idx_refund_journey_73cf9a" ON "refund" ("journey_id");

CREATE INDEX "idx_follow_up_t_linked__5cbc42" ON "follow_up_task" ("linked_journey_id");

CREATE INDEX "idx_photo_journey_78ea02" ON "photo" ("journey_id");

CREATE INDEX "idx_consent_sig_journey_80cbea" ON "consent_signature" ("journey_id");

CREATE INDEX "idx_journey_eve_clinic__593052" ON "journey_event" ("clinic_id", "id");

CREATE INDEX "idx_complicatio_journey_77e994" ON "complication_report" ("journey_id");

CREATE INDEX "idx_complicatio_client__86d551" ON "complication_report" ("client_id");

CREATE INDEX "idx_file_disclo_client__580167" ON "file_disclosure" ("client_id", "recorded_at");

CREATE INDEX "idx_records_cus_clinic__a1b588" ON "records_custodian_appointment" ("clinic_id", "appointed_at");

CREATE INDEX "idx_partner_reg_clinic__b22aaf" ON "partner_registration" ("clinic_id", "partner_id", "version");

CREATE INDEX "idx_complaint_client__c1a744" ON "complaint" ("client_id", "recorded_at");

CREATE INDEX "idx_complaint_clinic__5f4c8f" ON "complaint" ("clinic_id", "first_answer_due_at");

CREATE INDEX "idx_complaint_e_complai_7b6fd2" ON "complaint_entry" ("complaint_id", "recorded_at");

CREATE INDEX "idx_complaint_e_clinic__f5ff53" ON "complaint_entry" ("clinic_id", "kind");

CREATE INDEX "idx_complaint_c_clinic__2d86fc" ON "complaint_change" ("clinic_id", "id");

CREATE TRIGGER "audit_entry_refuse_update" BEFORE UPDATE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END;

CREATE TRIGGER "audit_entry_refuse_delete" BEFORE DELETE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused'); END;

CREATE TRIGGER audit_chain_head_no_update BEFORE UPDATE ON audit_chain_head FOR EACH ROW WHEN NEW.seq <= OLD.seq OR NEW.clinic_id <> OLD.clinic_id BEGIN SELECT RAISE(ABORT, 'audit_chain_head only moves forward: UPDATE refused'); END;

CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head  BEGIN SELECT RAISE(ABORT, 'audit_chain_head only moves forward: DELETE refused'); END;

CREATE TRIGGER "client_refuse_update" BEFORE UPDATE ON "client" BEGIN SELECT RAISE(ABORT, 'client is append-only: UPDATE refused'); END;

CREATE TRIGGER "client_refuse_delete" BEFORE DELETE ON "client" BEGIN SELECT RAISE(ABORT, 'client is append-only: DELETE refused'); END;

CREATE TRIGGER "journey_record_refuse_update" BEFORE UPDATE ON "journey_record" BEGIN SELECT RAISE(ABORT, 'journey_record is append-only: UPDATE refused'); END;

CREATE TRIGGER "journey_record_refuse_delete" BEFORE DELETE ON "journey_record" BEGIN SELECT RAISE(ABORT, 'journey_record is append-only: DELETE refused'); END;

CREATE TRIGGER "journey_record_void_refuse_update" BEFORE UPDATE ON "journey_record_void" BEGIN SELECT RAISE(ABORT, 'journey_record_void is append-only: UPDATE refused'); END;

CREATE TRIGGER "journey_record_void_refuse_delete" BEFORE DELETE ON "journey_record_void" BEGIN SELECT RAISE(ABORT, 'journey_record_void is append-only: DELETE refused'); END;

CREATE TRIGGER "triage_entry_refuse_update" BEFORE UPDATE ON "triage_entry" BEGIN SELECT RAISE(ABORT, 'triage_entry is append-only: UPDATE refused'); END;

CREATE TRIGGER "triage_entry_refuse_delete" BEFORE DELETE ON "triage_entry" BEGIN SELECT RAISE(ABORT, 'triage_entry is append-only: DELETE refused'); END;

CREATE TRIGGER "ownership_transfer_refuse_update" BEFORE UPDATE ON "ownership_transfer" BEGIN SELECT RAISE(ABORT, 'ownership_transfer is append-only: UPDATE refused'); END;

CREATE TRIGGER "ownership_transfer_refuse_delete" BEFORE DELETE ON "ownership_transfer" BEGIN SELECT RAISE(ABORT, 'ownership_transfer is append-only: DELETE refused'); END;

CREATE TRIGGER "revenue_credit_refuse_update" BEFORE UPDATE ON "revenue_credit" BEGIN SELECT RAISE(ABORT, 'revenue_credit is append-only: UPDATE refused'); END;

CREATE TRIGGER "revenue_credit_refuse_delete" BEFORE DELETE ON "revenue_credit" BEGIN SELECT RAISE(ABORT, 'revenue_credit is append-only: DELETE refused'); END;

CREATE TRIGGER "lead_contact_refuse_update" BEFORE UPDATE ON "lead_contact" BEGIN SELECT RAISE(ABORT, 'lead_contact is append-only: UPDATE refused'); END;

CREATE TRIGGER "lead_contact_refuse_delete" BEFORE DELETE ON "lead_contact" BEGIN SELECT RAISE(ABORT, 'lead_contact is append-only: DELETE refused'); END;

CREATE TRIGGER "desk_note_refuse_update" BEFORE UPDATE ON "desk_note" BEGIN SELECT RAISE(ABORT, 'desk_note is append-only: UPDATE refused'); END;

CREATE TRIGGER "desk_note_refuse_delete" BEFORE DELETE ON "desk_note" BEGIN SELECT RAISE(ABORT, 'desk_note is append-only: DELETE refused'); END;

CREATE TRIGGER "client_entry_refuse_update" BEFORE UPDATE ON "client_entry" BEGIN SELECT RAISE(ABORT, 'client_entry is append-only: UPDATE refused'); END;

CREATE TRIGGER "client_entry_refuse_delete" BEFORE DELETE ON "client_entry" BEGIN SELECT RAISE(ABORT, 'client_entry is append-only: DELETE refused'); END;

CREATE TRIGGER "client_entry_error_refuse_update" BEFORE UPDATE ON "client_entry_error" BEGIN SELECT RAISE(ABORT, 'client_entry_error is append-only: UPDATE refused'); END;

CREATE TRIGGER "client_entry_error_refuse_delete" BEFORE DELETE ON "client_entry_error" BEGIN SELECT RAISE(ABORT, 'client_entry_error is append-only: DELETE refused'); END;

CREATE TRIGGER "client_identity_amendment_refuse_update" BEFORE UPDATE ON "client_identity_amendment" BEGIN SELECT RAISE(ABORT, 'client_identity_amendment is append-only: UPDATE refused'); END;

CREATE TRIGGER "client_identity_amendment_refuse_delete" BEFORE DELETE ON "client_identity_amendment" BEGIN SELECT RAISE(ABORT, 'client_identity_amendment is append-only: DELETE refused'); END;

CREATE TRIGGER "consent_template_version_refuse_update" BEFORE UPDATE ON "consent_template_version" BEGIN SELECT RAISE(ABORT, 'consent_template_version is append-only: UPDATE refused'); END;

CREATE TRIGGER "consent_template_version_refuse_delete" BEFORE DELETE ON "consent_template_version" BEGIN SELECT RAISE(ABORT, 'consent_template_version is append-only: DELETE refused'); END;

CREATE TRIGGER "consent_signature_refuse_update" BEFORE UPDATE ON "consent_signature" BEGIN SELECT RAISE(ABORT, 'consent_signature is append-only: UPDATE refused'); END;

CREATE TRIGGER "consent_signature_refuse_delete" BEFORE DELETE ON "consent_signature" BEGIN SELECT RAISE(ABORT, 'consent_signature is append-only: DELETE refused'); END;

CREATE TRIGGER "consent_withdrawal_refuse_update" BEFORE UPDATE ON "consent_withdrawal" BEGIN SELECT RAISE(ABORT, 'consent_withdrawal is append-only: UPDATE refused'); END;

CREATE TRIGGER "consent_withdrawal_refuse_delete" BEFORE DELETE ON "consent_withdrawal" BEGIN SELECT RAISE(ABORT, 'consent_withdrawal is append-only: DELETE refused'); END;

CREATE TRIGGER "catalog_item_version_refuse_update" BEFORE UPDATE ON "catalog_item_version" BEGIN SELECT RAISE(ABORT, 'catalog_item_version is append-only: UPDATE refused'); END;

CREATE TRIGGER "catalog_item_version_refuse_delete" BEFORE DELETE ON "catalog_item_version" BEGIN SELECT RAISE(ABORT, 'catalog_item_version is append-only: DELETE refused'); END;

CREATE TRIGGER "photo_refuse_update" BEFORE UPDATE ON "photo" BEGIN SELECT RAISE(ABORT, 'photo is append-only: UPDATE refused'); END;

CREATE TRIGGER "photo_refuse_delete" BEFORE DELETE ON "photo" BEGIN SELECT RAISE(ABORT, 'photo is append-only: DELETE refused'); END;

CREATE TRIGGER "photo_consent_change_refuse_update" BEFORE UPDATE ON "photo_consent_change" BEGIN SELECT RAISE(ABORT, 'photo_consent_change is append-only: UPDATE refused'); END;

CREATE TRIGGER "photo_consent_change_refuse_delete" BEFORE DELETE ON "photo_consent_change" BEGIN SELECT RAISE(ABORT, 'photo_consent_change is append-only: DELETE refused'); END;

CREATE TRIGGER "survey_response_refuse_update" BEFORE UPDATE ON "survey_response" BEGIN SELECT RAISE(ABORT, 'survey_response is append-only: UPDATE refused'); END;

CREATE TRIGGER "survey_response_refuse_delete" BEFORE DELETE ON "survey_response" BEGIN SELECT RAISE(ABORT, 'survey_response is append-only: DELETE refused'); END;

CREATE TRIGGER "warranty_card_refuse_update" BEFORE UPDATE ON "warranty_card" BEGIN SELECT RAISE(ABORT, 'warranty_card is append-only: UPDATE refused'); END;

CREATE TRIGGER "warranty_card_refuse_delete" BEFORE DELETE ON "warranty_card" BEGIN SELECT RAISE(ABORT, 'warranty_card is append-only: DELETE refused'); END;

CREATE TRIGGER "warranty_claim_refuse_update" BEFORE UPDATE ON "warranty_claim" BEGIN SELECT RAISE(ABORT, 'warranty_claim is append-only: UPDATE refused'); END;

CREATE TRIGGER "warranty_claim_refuse_delete" BEFORE DELETE ON "warranty_claim" BEGIN SELECT RAISE(ABORT, 'warranty_claim is append-only: DELETE refused'); END;

CREATE TRIGGER "procedure_type_version_refuse_update" BEFORE UPDATE ON "procedure_type_version" BEGIN SELECT RAISE(ABORT, 'procedure_type_version is append-only: UPDATE refused'); END;

CREATE TRIGGER "procedure_type_version_refuse_delete" BEFORE DELETE ON "procedure_type_version" BEGIN SELECT RAISE(ABORT, 'procedure_type_version is append-only: DELETE refused'); END;

CREATE TRIGGER "checklist_completion_refuse_update" BEFORE UPDATE ON "checklist_completion" BEGIN SELECT RAISE(ABORT, 'checklist_completion is append-only: UPDATE refused'); END;

CREATE TRIGGER "checklist_completion_refuse_delete" BEFORE DELETE ON "checklist_completion" BEGIN SELECT RAISE(ABORT, 'checklist_completion is append-only: DELETE refused'); END;

CREATE TRIGGER "treatment_product_refuse_update" BEFORE UPDATE ON "treatment_product" BEGIN SELECT RAISE(ABORT, 'treatment_product is append-only: UPDATE refused'); END;

CREATE TRIGGER "treatment_product_refuse_delete" BEFORE DELETE ON "treatment_product" BEGIN SELECT RAISE(ABORT, 'treatment_product is append-only: DELETE refused'); END;

CREATE TRIGGER "price_list_item_refuse_update" BEFORE UPDATE ON "price_list_item" BEGIN SELECT RAISE(ABORT, 'price_list_item is append-only: UPDATE refused'); END;

CREATE TRIGGER "price_list_item_refuse_delete" BEFORE DELETE ON "price_list_item" BEGIN SELECT RAISE(ABORT, 'price_list_item is append-only: DELETE refused'); END;

CREATE TRIGGER "bill_refuse_update" BEFORE UPDATE ON "bill" BEGIN SELECT RAISE(ABORT, 'bill is append-only: UPDATE refused'); END;

CREATE TRIGGER "bill_refuse_delete" BEFORE DELETE ON "bill" BEGIN SELECT RAISE(ABORT, 'bill is append-only: DELETE refused'); END;

CREATE TRIGGER "bill_line_refuse_update" BEFORE UPDATE ON "bill_line" BEGIN SELECT RAISE(ABORT, 'bill_line is append-only: UPDATE refused'); END;

CREATE TRIGGER "bill_line_refuse_delete" BEFORE DELETE ON "bill_line" BEGIN SELECT RAISE(ABORT, 'bill_line is append-only: DELETE refused'); END;

CREATE TRIGGER "bill_confirmation_refuse_update" BEFORE UPDATE ON "bill_confirmation" BEGIN SELECT RAISE(ABORT, 'bill_confirmation is append-only: UPDATE refused'); END;

CREATE TRIGGER "bill_confirmation_refuse_delete" BEFORE DELETE ON "bill_confirmation" BEGIN SELECT RAISE(ABORT, 'bill_confirmation is append-only: DELETE refused'); END;

CREATE TRIGGER "payment_refuse_update" BEFORE UPDATE ON "payment" BEGIN SELECT RAISE(ABORT, 'payment is append-only: UPDATE refused'); END;

CREATE TRIGGER "payment_refuse_delete" BEFORE DELETE ON "payment" BEGIN SELECT RAISE(ABORT, 'payment is append-only: DELETE refused'); END;

CREATE TRIGGER "refund_refuse_update" BEFORE UPDATE ON "refund" BEGIN SELECT RAISE(ABORT, 'refund is append-only: UPDATE refused'); END;

CREATE TRIGGER "refund_refuse_delete" BEFORE DELETE ON "refund" BEGIN SELECT RAISE(ABORT, 'refund is append-only: DELETE refused'); END;

CREATE TRIGGER "installment_due_refuse_update" BEFORE UPDATE ON "installment_due" BEGIN SELECT RAISE(ABORT, 'installment_due is append-only: UPDATE refused'); END;

CREATE TRIGGER "installment_due_refuse_delete" BEFORE DELETE ON "installment_due" BEGIN SELECT RAISE(ABORT, 'installment_due is append-only: DELETE refused'); END;

CREATE TRIGGER "installment_overdue_refuse_update" BEFORE UPDATE ON "installment_overdue" BEGIN SELECT RAISE(ABORT, 'installment_overdue is append-only: UPDATE refused'); END;

CREATE TRIGGER "installment_overdue_refuse_delete" BEFORE DELETE ON "installment_overdue" BEGIN SELECT RAISE(ABORT, 'installment_overdue is append-only: DELETE refused'); END;

CREATE TRIGGER "partner_registration_refuse_update" BEFORE UPDATE ON "partner_registration" BEGIN SELECT RAISE(ABORT, 'partner_registration is append-only: UPDATE refused'); END;

CREATE TRIGGER "partner_registration_refuse_delete" BEFORE DELETE ON "partner_registration" BEGIN SELECT RAISE(ABORT, 'partner_registration is append-only: DELETE refused'); END;

CREATE TRIGGER "partner_referral_refuse_update" BEFORE UPDATE ON "partner_referral" BEGIN SELECT RAISE(ABORT, 'partner_referral is append-only: UPDATE refused'); END;

CREATE TRIGGER "partner_referral_refuse_delete" BEFORE DELETE ON "partner_referral" BEGIN SELECT RAISE(ABORT, 'partner_referral is append-only: DELETE refused'); END;

CREATE TRIGGER "partner_lapse_refuse_update" BEFORE UPDATE ON "partner_lapse" BEGIN SELECT RAISE(ABORT, 'partner_lapse is append-only: UPDATE refused'); END;

CREATE TRIGGER "partner_lapse_refuse_delete" BEFORE DELETE ON "partner_lapse" BEGIN SELECT RAISE(ABORT, 'partner_lapse is append-only: DELETE refused'); END;

CREATE TRIGGER "task_closing_refuse_update" BEFORE UPDATE ON "task_closing" BEGIN SELECT RAISE(ABORT, 'task_closing is append-only: UPDATE refused'); END;

CREATE TRIGGER "task_closing_refuse_delete" BEFORE DELETE ON "task_closing" BEGIN SELECT RAISE(ABORT, 'task_closing is append-only: DELETE refused'); END;

CREATE TRIGGER "task_change_refuse_update" BEFORE UPDATE ON "task_change" BEGIN SELECT RAISE(ABORT, 'task_change is append-only: UPDATE refused'); END;

CREATE TRIGGER "task_change_refuse_delete" BEFORE DELETE ON "task_change" BEGIN SELECT RAISE(ABORT, 'task_change is append-only: DELETE refused'); END;

CREATE TRIGGER "receipt_counter_counts_up_update" BEFORE UPDATE ON "receipt_counter" FOR EACH ROW WHEN NOT (NEW.clinic_id = OLD.clinic_id AND NEW.last_number = OLD.last_number + 1) BEGIN SELECT RAISE(ABORT, 'receipt_counter counts up by one: UPDATE refused'); END;

CREATE TRIGGER "receipt_counter_counts_up_delete" BEFORE DELETE ON "receipt_counter" BEGIN SELECT RAISE(ABORT, 'receipt_counter counts up by one: DELETE refused'); END;

CREATE TRIGGER "staff_name_refuse_update" BEFORE UPDATE ON "staff_name" BEGIN SELECT RAISE(ABORT, 'staff_name is append-only: UPDATE refused'); END;

CREATE TRIGGER "staff_name_refuse_delete" BEFORE DELETE ON "staff_name" BEGIN SELECT RAISE(ABORT, 'staff_name is append-only: DELETE refused'); END;

CREATE TRIGGER "photo_consent_grant_refuse_update" BEFORE UPDATE ON "photo_consent_grant" BEGIN SELECT RAISE(ABORT, 'photo_consent_grant is append-only: UPDATE refused'); END;

CREATE TRIGGER "photo_consent_grant_refuse_delete" BEFORE DELETE ON "photo_consent_grant" BEGIN SELECT RAISE(ABORT, 'photo_consent_grant is append-only: DELETE refused'); END;

CREATE TRIGGER "recheck_kept_refuse_update" BEFORE UPDATE ON "recheck_kept" BEGIN SELECT RAISE(ABORT, 'recheck_kept is append-only: UPDATE refused'); END;

CREATE TRIGGER "recheck_kept_refuse_delete" BEFORE DELETE ON "recheck_kept" BEGIN SELECT RAISE(ABORT, 'recheck_kept is append-only: DELETE refused'); END;

CREATE TRIGGER "client_match_key_refuse_update" BEFORE UPDATE ON "client_match_key" BEGIN SELECT RAISE(ABORT, 'client_match_key is append-only: UPDATE refused'); END;

CREATE TRIGGER "client_match_key_refuse_delete" BEFORE DELETE ON "client_match_key" BEGIN SELECT RAISE(ABORT, 'client_match_key is append-only: DELETE refused'); END;

CREATE TRIGGER "consent_withdrawal_after_journey_refuse_update" BEFORE UPDATE ON "consent_withdrawal_after_journey" BEGIN SELECT RAISE(ABORT, 'consent_withdrawal_after_journey is append-only: UPDATE refused'); END;

CREATE TRIGGER "consent_withdrawal_after_journey_refuse_delete" BEFORE DELETE ON "consent_withdrawal_after_journey" BEGIN SELECT RAISE(ABORT, 'consent_withdrawal_after_journey is append-only: DELETE refused'); END;

CREATE TRIGGER "journey_event_refuse_update" BEFORE UPDATE ON "journey_event" BEGIN SELECT RAISE(ABORT, 'journey_event is append-only: UPDATE refused'); END;

CREATE TRIGGER "journey_event_refuse_delete" BEFORE DELETE ON "journey_event" BEGIN SELECT RAISE(ABORT, 'journey_event is append-only: DELETE refused'); END;

CREATE TRIGGER "complication_report_refuse_update" BEFORE UPDATE ON "complication_report" BEGIN SELECT RAISE(ABORT, 'complication_report is append-only: UPDATE refused'); END;

CREATE TRIGGER "complication_report_refuse_delete" BEFORE DELETE ON "complication_report" BEGIN SELECT RAISE(ABORT, 'complication_report is append-only: DELETE refused'); END;

CREATE TRIGGER "file_disclosure_refuse_update" BEFORE UPDATE ON "file_disclosure" BEGIN SELECT RAISE(ABORT, 'file_disclosure is append-only: UPDATE refused'); END;

CREATE TRIGGER "file_disclosure_refuse_delete" BEFORE DELETE ON "file_disclosure" BEGIN SELECT RAISE(ABORT, 'file_disclosure is append-only: DELETE refused'); END;

CREATE TRIGGER "records_custodian_appointment_refuse_update" BEFORE UPDATE ON "records_custodian_appointment" BEGIN SELECT RAISE(ABORT, 'records_custodian_appointment is append-only: UPDATE refused'); END;

CREATE TRIGGER "records_custodian_appointment_refuse_delete" BEFORE DELETE ON "records_custodian_appointment" BEGIN SELECT RAISE(ABORT, 'records_custodian_appointment is append-only: DELETE refused'); END;

CREATE TRIGGER "complaint_refuse_update" BEFORE UPDATE ON "complaint" BEGIN SELECT RAISE(ABORT, 'complaint is append-only: UPDATE refused'); END;

CREATE TRIGGER "complaint_refuse_delete" BEFORE DELETE ON "complaint" BEGIN SELECT RAISE(ABORT, 'complaint is append-only: DELETE refused'); END;

CREATE TRIGGER "complaint_entry_refuse_update" BEFORE UPDATE ON "complaint_entry" BEGIN SELECT RAISE(ABORT, 'complaint_entry is append-only: UPDATE refused'); END;

CREATE TRIGGER "complaint_entry_refuse_delete" BEFORE DELETE ON "complaint_entry" BEGIN SELECT RAISE(ABORT, 'complaint_entry is append-only: DELETE refused'); END;

CREATE TRIGGER "complaint_change_refuse_update" BEFORE UPDATE ON "complaint_change" BEGIN SELECT RAISE(ABORT, 'complaint_change is append-only: UPDATE refused'); END;

CREATE TRIGGER "complaint_change_refuse_delete" BEFORE DELETE ON "complaint_change" BEGIN SELECT RAISE(ABORT, 'complaint_change is append-only: DELETE refused'); END;

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0001_initial', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0002_journey_supervision', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0003_triage_desk', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0004_clinic_slas', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0005_active_journey_claim', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0006_lead_contact', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0007_desk_note', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0008_token_lifecycle', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0009_audit_log', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0010_staff_administration', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0011_append_only', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0012_idempotency_digest', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0013_event_snapshot', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0014_client_file', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0015_consent', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0016_catalog', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0017_photos', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0018_aftercare', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0019_procedure_types', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0020_billing', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0021_partners', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0022_partner_deal_lines', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0023_task_closing', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0024_task_change', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0025_stage_counts', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0026_receipt_counter_counts_up', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0027_staff_names', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0028_active_recheck_claim', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0029_photo_consent_grant', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0030_live_subscription_lease', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0031_recheck_kept', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0032_recheck_reminders_ahead', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0033_idempotency_salt', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0034_client_match_keys', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0035_phone_keys_by_country', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0036_consent_withdrawal_after_journey', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0037_read_indexes', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0038_phone_keys_dialled_abroad', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0039_journey_event_clinic', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0040_complication_report', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0041_file_disclosure', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0042_client_consent', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0043_partner_name_order', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0044_refund_kind', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0045_procedure_anaesthesia', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0046_complaint', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0047_staff_senior_title', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0048_journey_stuck_reason_code', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0049_clinic_day_off', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0050_complaint_change', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0051_name_keys_comparable', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');

INSERT INTO "tortoise_migrations" (app, name, applied_at) VALUES ('models', '0052_task_closing_request', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00');
