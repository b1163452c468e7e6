#!/usr/bin/env ruby
# frozen_string_literal: true

# The CI/CD pipeline of Estuary's "flowctl in automated contexts" guide.
#
# A Stripe capture into two collections, a TypeScript derivation joining
# orders and customers, a Snowflake materialization, and a test of the line
# items' totals, derived both in SQLite and in TypeScript: the same catalog as
# examples/python/cicd.py and examples/rust/src/cicd.rs, written byte-for-byte
# the same.
#
# Usage: ruby examples/ruby/cicd.rb [--plaintext-secrets] [--no-publish] [OUT_DIR]
# (default out/ruby/cicd). Builds the catalog, validates it, runs the
# catalog's test locally (both derivations of the totals), and writes
# OUT_DIR/flow.yaml and the derivations' TypeScript modules, with the Stripe
# token and the Snowflake private key encrypted with sops to a new age
# identity made in a temporary directory; then loads what was written,
# validates it, and decrypts it back with that identity. Last, unless
# --no-publish, it starts a local control plane, publishes the catalog to it
# (the secrets opened with that identity and re-encrypted by the control
# plane's config-encryption service), pulls it back into OUT_DIR-pulled, and
# checks that the two catalogs hold the same specs. --plaintext-secrets writes
# the secrets as plain _sops values instead (what tests/golden/cicd/flow.yaml
# holds).

require "fileutils"
require "tmpdir"
require "flowspec"

module Cicd
  # The TypeScript module of the acmeCo/customers-with-orders derivation.
  FULL_OUTER_JOIN_TS = <<~TS
    import {
        IDerivation,
        Document,
        SourceFromCustomers,
        SourceFromOrders,
    } from "flow/acmeCo/customers-with-orders.ts";

    // Joins customers and their orders. Documents of one customer are reduced
    // by the collection schema's `merge` annotations, so each lambda publishes
    // only what it knows.
    export class Derivation extends IDerivation {
        fromOrders(read: { doc: SourceFromOrders }): Document[] {
            const { customer_id, order_id } = read.doc;
            return [{ customer_id, orders: [{ order_id }] }];
        }

        fromCustomers(read: { doc: SourceFromCustomers }): Document[] {
            const { customer_id, name } = read.doc;
            return [{ customer_id, name }];
        }
    }
  TS

  # The TypeScript module of the acmeCo/line-item-totals-ts derivation.
  LINE_ITEM_TOTALS_TS = <<~'TS'
    import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

    // Totals each line item with its sales tax, in dollars: the TypeScript
    // twin of the SQLite derivation acmeCo/line-item-totals.
    export class Derivation extends IDerivation {
        fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
            const { id, item, price, sales_tax } = read.doc;
            return [{ id, item, total: `$${((price + sales_tax) / 100).toFixed(2)}` }];
        }
    }
  TS

  # The Snowflake private key of the example: a placeholder in PEM form.
  SNOWFLAKE_PRIVATE_KEY = <<~PEM
    -----BEGIN PRIVATE KEY-----
    MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder
    -----END PRIVATE KEY-----
  PEM

  # The Stripe access token of the example: a placeholder.
  STRIPE_ACCESS_TOKEN = "sk_test_placeholder"

  # The kinds of specs compared after a pull, as a bundle's sections name them.
  KINDS = { "captures" => "capture", "collections" => "collection",
            "materializations" => "materialization", "tests" => "test" }.freeze

  module_function

  # Builds the CI/CD pipeline catalog, to live in +base_dir+ (where its
  # TypeScript modules are; default: the current directory).
  #
  #   cat = Cicd.catalog
  #   [cat.captures.size, cat.materializations.size] # => [1, 1]
  def catalog(base_dir: nil)
    cat = base_dir ? Flowspec::Catalog.new(base_dir: base_dir) : Flowspec::Catalog.new

    cat.capture(
      "acmeCo/ci-cd/source-stripe-native",
      image: "ghcr.io/estuary/source-stripe-native:dev",
      config: {
        credentials: {
          credentials_title: "Private App Credentials",
          access_token: Flowspec.secret(STRIPE_ACCESS_TOKEN)
        }
      }
    ).binding(
      resource: { stream: "charges", syncMode: "incremental" }, target: "acmeCo/ci-cd/stripe_charges"
    ).binding(
      resource: { stream: "plans", syncMode: "full_refresh" }, target: "acmeCo/ci-cd/stripe_plans"
    )

    cat.collection(
      "acmeCo/ci-cd/stripe_charges",
      schema: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string" },
          created: { type: "string" },
          amount: { type: "integer" },
          currency: { type: "string" },
          customer: { type: %w[string null] }
        }
      },
      key: ["/id"]
    )
    cat.collection(
      "acmeCo/ci-cd/stripe_plans",
      schema: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string" },
          active: { type: "boolean" },
          interval: { type: "string" },
          amount: { type: "integer" }
        }
      },
      key: ["/id"]
    )
    cat.collection(
      "acmeCo/join-collections/orders",
      schema: {
        type: "object",
        required: %w[order_id customer_id],
        properties: {
          order_id: { type: "string" },
          customer_id: { type: "string" },
          total: { type: "integer" }
        }
      },
      key: ["/order_id"]
    )
    cat.collection(
      "acmeCo/join-collections/customers",
      schema: {
        type: "object",
        required: ["customer_id"],
        properties: {
          customer_id: { type: "string" },
          name: { type: "string" },
          email: { type: "string" }
        }
      },
      key: ["/customer_id"]
    )

    cat.derivation(
      "acmeCo/customers-with-orders",
      schema: {
        type: "object",
        properties: {
          customer_id: { type: "string" },
          name: { type: "string" },
          orders: {
            type: "array",
            items: {
              type: "object",
              properties: { order_id: { type: "string" } }
            },
            reduce: { strategy: "merge", key: ["/order_id"] }
          }
        },
        required: ["customer_id"],
        reduce: { strategy: "merge" }
      },
      key: ["/customer_id"],
      typescript: "full-outer-join.flow.ts"
    ).transform(
      name: "fromOrders", source: "acmeCo/join-collections/orders", shuffle: ["/customer_id"]
    ).transform(
      name: "fromCustomers", source: "acmeCo/join-collections/customers", shuffle: ["/customer_id"]
    )

    cat.collection(
      "acmeCo/ci-cd/postgres_shipments",
      schema: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "integer" },
          order_id: { type: "string" },
          shipped_at: { type: "string", format: "date-time" }
        }
      },
      key: ["/id"]
    )

    cat.materialization(
      "acmeCo/ci-cd/materialize-snowflake",
      image: "ghcr.io/estuary/materialize-snowflake:dev",
      config: {
        host: "orgname-accountname.snowflakecomputing.com",
        database: "estuary_db",
        schema: "estuary_schema",
        credentials: {
          auth_type: "jwt",
          user: "estuary_user",
          privateKey: Flowspec.secret(SNOWFLAKE_PRIVATE_KEY)
        }
      }
    ).binding(resource: { table: "shipments" }, source: "acmeCo/ci-cd/postgres_shipments")

    cat.collection(
      "acmeCo/line-items",
      schema: {
        type: "object",
        required: %w[id item price sales_tax],
        properties: {
          id: { type: "string" },
          item: { type: "string" },
          price: { type: "integer", description: "Price in cents." },
          sales_tax: { type: "integer", description: "Sales tax in cents." }
        }
      },
      key: ["/id"]
    )
    totals_schema = {
      type: "object",
      required: %w[id item total],
      properties: {
        id: { type: "string" },
        item: { type: "string" },
        total: { type: "string", description: "Price plus tax, in dollars." }
      }
    }
    totals = [
      { id: "1", item: "popcorn", total: "$5.24" },
      { id: "2", item: "hot dog", total: "$6.82" }
    ]
    cat.derivation(
      "acmeCo/line-item-totals",
      schema: totals_schema,
      key: ["/id"],
      sqlite: []
    ).transform(
      name: "fromLineItems",
      source: "acmeCo/line-items",
      shuffle: ["/id"],
      lambda: "SELECT $id AS id, $item AS item,\n  " \
              "printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n"
    )

    cat.derivation(
      "acmeCo/line-item-totals-ts",
      schema: totals_schema,
      key: ["/id"],
      typescript: "line-item-totals.flow.ts"
    ).transform(name: "fromLineItems", source: "acmeCo/line-items", shuffle: ["/id"])

    cat.test(
      "acmeCo/tests/example", description: "Line items are totalled with their sales tax."
    ).ingest(
      collection: "acmeCo/line-items",
      documents: [
        { id: "1", item: "popcorn", price: 499, sales_tax: 25 },
        { id: "2", item: "hot dog", price: 650, sales_tax: 32 }
      ]
    ).verify(collection: "acmeCo/line-item-totals", documents: totals)
     .verify(collection: "acmeCo/line-item-totals-ts", documents: totals)
    cat
  end

  # A spec as a secret-aware comparison sees it: without +expectPubId+ and
  # sops metadata, every value of a +_sops+ key standing for "a secret"
  # whatever its ciphertext.
  def comparable(spec)
    case spec
    when Hash
      spec.reject { |key, _| %w[expectPubId sops].include?(key) }
          .to_h { |key, value| [key, key.end_with?("_sops") ? "<secret>" : comparable(value)] }
    when Array then spec.map { |item| comparable(item) }
    else spec
    end
  end

  # How many values of +_sops+ keys are sops ciphertext.
  def encrypted_values(value)
    case value
    when Hash
      value.sum do |key, item|
        key.end_with?("_sops") && item.to_s.start_with?("ENC[") ? 1 : encrypted_values(item)
      end
    when Array then value.sum { |item| encrypted_values(item) }
    else 0
    end
  end

  # The specs of a catalog with every file reference inlined, by section
  # ("captures", ...) and name.
  def specs(cat)
    bundle = cat.bundle
    KINDS.to_h do |section, kind|
      [section, bundle.names(kind).to_h { |name| [name, bundle.get_spec(kind, name)] }]
    end
  ensure
    bundle&.close
  end

  # Publishes the written catalog to a local control plane (its secrets
  # opened with +key_file+ and re-encrypted by the control plane's service),
  # pulls it back into +pulled_dir+, and checks that both catalogs hold the
  # same specs.
  def publish_and_pull(target, key_file, pulled_dir)
    local = Flowspec::Catalog.load(target)
    Flowspec::LocalControlPlane.start do |plane|
      published = local.publish(control_plane: plane, source: target, key_file: key_file)
      puts "published #{published['specs'].size} specs to a local control plane " \
           "(#{plane.pg_url}) as publication #{published['pubId']}"
      pulled = Flowspec.pull_specs(control_plane: plane, prefixes: ["acmeCo/"],
                                   target: File.join(pulled_dir, "flow.yaml"))
      puts "pulled #{pulled['written']} specs back into #{pulled_dir}"
    end
    back = specs(Flowspec::Catalog.load(File.join(pulled_dir, "flow.yaml")))
    mine = specs(local)
    differ = KINDS.keys.flat_map do |section|
      (mine[section].keys | back[section].keys).sort
        .reject { |name| comparable(mine[section][name]) == comparable(back[section][name]) }
        .map { |name| "#{section}/#{name}" }
    end
    unless differ.empty?
      raise Flowspec::InternalError.new("the pulled catalog differs from the published one: #{differ.join(', ')}",
                                        code: "internal")
    end
    puts "pulled catalog matches the published one (#{encrypted_values(back)} secrets encrypted by the control plane)"
  end

  # Writes +text+ to +path+ (and its directory), as it is.
  def write_file(path, text)
    FileUtils.mkdir_p(File.dirname(path))
    File.binwrite(path, text)
  rescue SystemCallError => e
    raise Flowspec::WriteError.new("cannot write #{path}: #{e.message}", code: "write", path: path)
  end

  # Builds, validates and writes the pipeline, then checks what was written.
  def run(out, plaintext_secrets: false, publish: true)
    # The catalog lives in `out`, beside its derivations' TypeScript modules:
    # its relative references resolve there.
    mod = File.join(out, "full-outer-join.flow.ts")
    totals_mod = File.join(out, "line-item-totals.flow.ts")
    { mod => FULL_OUTER_JOIN_TS, totals_mod => LINE_ITEM_TOTALS_TS }.each { |path, text| write_file(path, text) }
    cat = catalog(base_dir: out)
    cat.validate.each { |warning| warn warning.to_s }
    puts "#{cat.captures.size} captures, #{cat.collections.size} collections, " \
         "#{cat.materializations.size} materializations, #{cat.tests.size} tests: valid"
    # The catalog's test, run here: the SQLite and TypeScript derivations of
    # the line items' totals, verified as Estuary verifies them.
    results = cat.run_tests
    print results["report"]
    unless results["ok"]
      failed = results["tests"].reject { |t| t["passed"] }.map { |t| t["test"] }
      raise Flowspec::ValidationError.new("failed tests: #{failed.join(', ')}", code: "validation")
    end

    target = File.join(out, "flow.yaml")

    # A new age identity, only for this run.
    decrypted = Dir.mktmpdir("flowspec-cicd-") do |keys|
      key_file = File.join(keys, "keys.txt")
      recipient = plaintext_secrets ? nil : Flowspec.age_keygen(key_file)
      written = if plaintext_secrets
                  cat.write(target, layout: "flat", plaintext_secrets: true)
                else
                  cat.write(target, layout: "flat", recipients: [recipient])
                end
      written.each { |path| puts "wrote #{path}" }
      puts "wrote #{mod}"
      puts "wrote #{totals_mod}"

      Flowspec::Catalog.load(target).validate
      return if plaintext_secrets

      puts "secrets: encrypted to #{recipient} (a temporary age identity)"
      loaded = Flowspec::Catalog.load(target, decrypt: true, key_file: key_file)
      publish_and_pull(target, key_file, "#{out.chomp('/')}-pulled") if publish
      loaded
    end

    # Decrypted, the configs hold the plaintext under their `_sops` keys.
    stripe = decrypted.captures.fetch("acmeCo/ci-cd/source-stripe-native")
    snowflake = decrypted.materializations.fetch("acmeCo/ci-cd/materialize-snowflake")
    decrypted_secrets = [
      stripe.spec.dig("endpoint", "connector", "config", "credentials", "access_token_sops"),
      snowflake.spec.dig("endpoint", "connector", "config", "credentials", "privateKey_sops")
    ]
    unless decrypted_secrets == [STRIPE_ACCESS_TOKEN, SNOWFLAKE_PRIVATE_KEY]
      raise Flowspec::SecretsError.new("the decrypted secrets differ from the ones built", code: "catalog_secrets")
    end

    puts "secrets: #{decrypted_secrets.size} configs decrypt back to the catalog as built"
  end

  def main(argv)
    plaintext_secrets = argv.include?("--plaintext-secrets")
    publish = !argv.include?("--no-publish")
    args = argv - ["--plaintext-secrets", "--no-publish"]
    if args.any? { |a| a.start_with?("-") } || args.size > 1
      warn "usage: cicd.rb [--plaintext-secrets] [--no-publish] [OUT_DIR]"
      return 2
    end
    begin
      run(args.first || "out/ruby/cicd", plaintext_secrets: plaintext_secrets, publish: publish)
    rescue Flowspec::Error => e
      warn "error[#{e.code}]: #{e.message}"
      return 1
    end
    0
  end
end

exit(Cicd.main(ARGV)) if $PROGRAM_NAME == __FILE__
