{#- The campaign register (written by `chairside campaign export`, read by fct_campaign_results):
    created empty before every build so a warehouse without any campaign still builds. The same
    DDL is chairside/campaigns/store.py's; tests/unit/test_campaign_store.py checks they agree. -#}
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
        customer_key varchar not null,
        arm varchar not null
    );
{% endmacro %}
