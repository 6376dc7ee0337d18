{#- Every kpi_id of the catalogue seed has at least one row in the model. -#}
{% test every_catalogue_kpi_present(model, column_name, catalogue) %}
select catalogue.kpi_id
from {{ catalogue }} as catalogue
where catalogue.kpi_id not in (
    select present.{{ column_name }} from {{ model }} as present
)
{% endtest %}
