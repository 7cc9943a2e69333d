"""${{ values.name }}: a Python service of team ${{ values.team }}."""

SERVICE_NAME = "${{ values.name }}"
