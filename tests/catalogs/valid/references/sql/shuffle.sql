SELECT $kind;
