-- Every campaign member as a resolved client: an export records the client's key; a member
-- recorded by the booking system's customer id (a campaign the demo played, or one run from
-- another tool) is resolved through identity resolution, like the appointments of that id.
-- A member whose id resolves to nobody keeps a NULL key: counted in its arm, never a responder.
with members as (
    select * from {{ ref('stg_campaigns__campaign_members') }}
),

identity as (
    select source_id as customer_id, customer_key
    from {{ ref('int_customers__identity_map') }}
    where source = 'kafka'
),

final as (
    select
        members.campaign_id,
        coalesce(members.customer_key, identity.customer_key) as customer_key,
        members.customer_id,
        members.arm
    from members
    left join identity using (customer_id)
)

select * from final
