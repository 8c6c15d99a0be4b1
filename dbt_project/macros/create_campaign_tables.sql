{#- The campaign register (written by `chairside campaign export`, read by fct_campaign_results):
    created empty before every build so a warehouse without any campaign still builds. The one
    declaration of these tables: chairside/presentation/campaigns/store.py runs this body as it stands before
    an export, so it stays plain SQL, without Jinja. -#}
{% macro create_campaign_tables() %}
    create schema if not exists ops;
    create table if not exists ops.campaigns (
        campaign_id varchar not null,
        shop_id varchar not null,
        rule varchar not null,
        exported_on date not null,
        control_share double not null,
        seed bigint not null,
        created_at timestamptz not null
    );
    create table if not exists ops.campaign_members (
        campaign_id varchar not null,
        customer_key varchar,
        arm varchar not null,
        customer_id varchar
    );
    -- a member is recorded by its resolved client (an export) or by the booking system's
    -- customer id (a campaign played or run elsewhere: int_campaigns__members resolves it);
    -- a register made before the customer id was added gets it
    alter table ops.campaign_members add column if not exists customer_id varchar;
    alter table ops.campaign_members alter column customer_key drop not null;
{% endmacro %}
