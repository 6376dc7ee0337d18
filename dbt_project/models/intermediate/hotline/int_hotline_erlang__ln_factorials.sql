{#- ln(n!) for n = 0 … 9 999, the Erlang C input for up to 9 999 agents per interval.
    Built as a running sum of ln(i) because Spark has no lgamma; the numbers come from a
    cross join of digits, which both engines run without a generator function. -#}
with digits as (
    select d.digit
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as d (digit)
),

numbers as (
    select thousands.digit * 1000 + hundreds.digit * 100 + tens.digit * 10 + ones.digit as n
    from digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones
)

select
    n,
    sum(case when n = 0 then 0.0 else ln(n) end) over (
        order by n rows between unbounded preceding and current row
    ) as ln_factorial
from numbers
