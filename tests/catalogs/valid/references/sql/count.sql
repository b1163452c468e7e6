SELECT $kind AS kind, 1 AS n;
