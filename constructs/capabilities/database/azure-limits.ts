// What Azure Database for PostgreSQL flexible servers accept, free of the Azure provider:
// environments validate against it, AzureDatabase (azure.ts) too.

/** Storage sizes (GiB) a flexible server takes (`storage_mb` / 1024). */
export const AZURE_POSTGRES_STORAGE_GIB = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] as const;

/** Fewest days of backups a flexible server keeps. */
export const AZURE_MIN_BACKUP_RETENTION_DAYS = 7;
