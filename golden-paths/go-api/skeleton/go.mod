module github.com/${{ values.githubOwner }}/${{ values.name }}

{% if values.database == 'postgres' %}
go 1.23.0

require github.com/jackc/pgx/v5 v5.7.5
{% else %}
go 1.19
{% endif %}
