"""Campaigns that measure themselves: audiences by rule, a seeded control held back, a register
`fct_campaign_results` reads."""
