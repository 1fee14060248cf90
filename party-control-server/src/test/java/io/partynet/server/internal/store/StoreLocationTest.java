package io.partynet.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --store}, {@code --store-password-file} and the database password's paths. */
class StoreLocationTest {

  @Test
  void sqliteLocationsAndTheDbAliasNameAFile() {
    assertEquals(new StoreLocation.Sqlite(Path.of("/var/lib/p.db")), StoreLocation.parse("sqlite:/var/lib/p.db", null));
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("sqlite:", null));
  }

  @Test
  void aPostgresUrlBecomesAJdbcUrlWithTheUserApartAndParametersKept() {
    StoreLocation.Postgres p = (StoreLocation.Postgres) StoreLocation.parse(
        "postgresql://party@db.example.org:6432/partynet?sslmode=require", "s3cret");
    assertEquals("jdbc:postgresql://db.example.org:6432/partynet?sslmode=require", p.jdbcUrl());
    assertEquals("party", p.user());
    assertEquals("s3cret", p.password());
    assertFalse(p.toString().contains("s3cret"), p.toString());
    StoreLocation.Postgres noPort = (StoreLocation.Postgres) StoreLocation.parse("postgres://u@h/db", null);
    assertEquals("jdbc:postgresql://h/db", noPort.jdbcUrl());
  }

  @Test
  void aPasswordInTheUrlIsRefusedAndNotEchoed() {
    IllegalArgumentException inUserInfo = assertThrows(IllegalArgumentException.class,
        () -> StoreLocation.parse("postgresql://party:hunter2@h/db", null));
    assertTrue(inUserInfo.getMessage().contains("PARTYNET_DB_PASSWORD"), inUserInfo.getMessage());
    assertFalse(inUserInfo.getMessage().contains("hunter2"));
    IllegalArgumentException inQuery = assertThrows(IllegalArgumentException.class,
        () -> StoreLocation.parse("postgresql://party@h/db?password=hunter2", null));
    assertFalse(inQuery.getMessage().contains("hunter2"));
    IllegalArgumentException badScheme = assertThrows(IllegalArgumentException.class,
        () -> StoreLocation.parse("mysql://party:hunter2@h/db", null));
    assertFalse(badScheme.getMessage().contains("hunter2"), badScheme.getMessage());
  }

  @Test
  void aPostgresUrlNeedsAUserAHostAndADatabase() {
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("postgresql://h/db", null));
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("postgresql://u@h", null));
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("postgresql://u@h/", null));
  }
}
