{#- Erlang C in portable SQL (no lgamma, no recursion), checked against pipelines/erlang.py.

    P(wait) for N agents and A Erlangs, written with Poisson terms p_k = e^-A · A^k / k!:
        P(wait) = p_N · N/(N-A) / (Σ_{k<N} p_k + p_N · N/(N-A))
    The common factor e^-A keeps every term ≤ 1, so no power or factorial overflows
    a DOUBLE even at thousands of Erlangs. -#}

{#- One row per load and agent count N > A, with wait_probability, from
    `loads` (a relation or CTE with `key_columns`, traffic > 0 in Erlangs and staffed_agents)
    and `ln_factorials` (n, ln_factorial). N runs up to A + 10·√A + 20, far past any
    80/20 staffing, or up to staffed_agents when that is larger. -#}
{% macro erlang_c_curve(loads, key_columns, ln_factorials) %}
    {%- set keys = key_columns | join(', ') %}
    select
        {{ keys }},
        traffic,
        agents,
        poisson_term * agents / nullif(agents - traffic, 0)
        / nullif(coalesce(below, 0) + poisson_term * agents / nullif(agents - traffic, 0), 0)
        as wait_probability
    from (
        select
            {{ keys }},
            traffic,
            agents,
            poisson_term,
            sum(poisson_term) over (
                partition by {{ keys }}
                order by agents rows between unbounded preceding and 1 preceding
            ) as below
        from (
            select
                {% for key in key_columns %}l.{{ key }}, {% endfor %}
                l.traffic,
                f.n as agents,
                exp(f.n * ln(l.traffic) - f.ln_factorial - l.traffic) as poisson_term
            from {{ loads }} as l
            inner join {{ ln_factorials }} as f
                on f.n <= greatest(l.traffic + 10 * sqrt(l.traffic) + 20, l.staffed_agents)
            where l.traffic > 0
        ) as terms
    ) as cumulated
    where agents > traffic
{% endmacro %}

{#- Share of calls answered within `seconds`: 1 − P(wait) · e^(−(N − A) · t / AHT). -#}
{% macro erlang_service_level(wait_probability, agents, traffic, aht_seconds, seconds) -%}
    (1 - {{ wait_probability }} * exp(
        -({{ agents }} - {{ traffic }}) * {{ seconds }} / nullif({{ aht_seconds }}, 0)
    ))
{%- endmacro %}

{#- Average speed of answer over all calls: P(wait) · AHT / (N − A). -#}
{% macro erlang_asa(wait_probability, agents, traffic, aht_seconds) -%}
    ({{ wait_probability }} * {{ aht_seconds }} / nullif({{ agents }} - {{ traffic }}, 0))
{%- endmacro %}

{#- Start of the `minutes`-long interval holding `ts` (minutes divides 60). -#}
{% macro erlang_interval_start(ts, minutes) -%}
    {{ dbt.dateadd(
        'minute',
        minutes ~ ' * floor(extract(minute from ' ~ ts ~ ') / ' ~ minutes ~ ')',
        dbt.date_trunc('hour', ts)
    ) }}
{%- endmacro %}
