/**
 * The configuration schema: the core keys below plus one JSON-Schema fragment per registered operation
 * (plugin/ops). pipeline-config/remaster.schema.json is this, generated (`npm run schema`); a test
 * checks the file against the registered operations so the two cannot drift.
 */
import { listOperations } from '../ops/registry';
import type { JsonSchema } from '../ops/types';

/** Core rule keys, in the order the schema lists them; operations' keys come after `kind`. */
const CORE_BEFORE_OPS = ['match', 'slots', 'skip', 'kind'];

const BASE: JsonSchema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://remaster.dev/schema/remaster.schema.json",
  "title": "Remaster configuration",
  "description": "remaster.config.json (project rules) or <asset>.remaster.json (sidecar: rules for that one asset, no \"match\").",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "rules"
  ],
  "properties": {
    "$schema": {
      "type": "string"
    },
    "limits": {
      "description": "Safety limits of the project (not allowed in sidecars).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "maxPixels": {
          "description": "Largest image (width x height) Remaster decodes; larger ones are refused from their header, before decoding (decompression bombs). Default 67108864 (8192x8192).",
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "cache": {
      "description": "The result cache (as --cache DIR / --cache-max-mb, which override it): outputs keyed by their inputs, rules, models and code, shared by projects and CI machines; a hit skips the engine. Not allowed in sidecars.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "dir"
      ],
      "properties": {
        "dir": {
          "description": "Cache folder; a relative path is taken from the project directory. It may be outside the project (the one place Remaster then writes there), never the project directory, a folder containing it, or inside its .remaster/.",
          "type": "string",
          "minLength": 1
        },
        "maxMB": {
          "description": "Size cap in MiB (default 10240); least recently used entries are evicted at the end of a run.",
          "type": "number",
          "exclusiveMinimum": 0
        }
      }
    },
    "rules": {
      "description": "Ordered rules. Every rule that matches an asset/texture applies, in order; later keys override earlier ones.",
      "type": "array",
      "items": {
        "$ref": "#/definitions/rule"
      }
    }
  },
  "definitions": {
    "rule": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "match": {
          "description": "Glob(s) on the asset's POSIX path relative to the project root. A pattern without '/' matches the file name in any folder. Not allowed in sidecars.",
          "oneOf": [
            {
              "type": "string",
              "minLength": 1
            },
            {
              "type": "array",
              "items": {
                "type": "string",
                "minLength": 1
              },
              "minItems": 1
            }
          ]
        },
        "slots": {
          "description": "Only textures of a glTF/GLB used in one of these material slots (standalone textures never match a rule with slots).",
          "type": "array",
          "minItems": 1,
          "items": {
            "$ref": "#/definitions/slot"
          }
        },
        "skip": {
          "description": "true: leave matching assets/textures untouched.",
          "type": "boolean"
        },
        "kind": {
          "description": "Override the texture kind of standalone textures (glTF textures take their kind from the slot).",
          "enum": [
            "color",
            "normal",
            "data"
          ]
        },
        "maxSize": {
          "description": "Cap on the longest side in pixels, applied after upscaling (aspect ratio kept); null removes an earlier cap.",
          "oneOf": [
            {
              "type": "integer",
              "minimum": 1,
              "maximum": 16384
            },
            {
              "type": "null"
            }
          ]
        },
        "format": {
          "description": "Output image format. keep = same as the input.",
          "enum": [
            "keep",
            "png",
            "webp",
            "jpeg"
          ]
        },
        "quality": {
          "description": "Encoder quality for jpeg/webp (1-100).",
          "type": "integer",
          "minimum": 1,
          "maximum": 100
        }
      }
    },
    "slot": {
      "enum": [
        "baseColor",
        "normal",
        "metallicRoughness",
        "occlusion",
        "emissive",
        "clearcoat",
        "clearcoatRoughness",
        "clearcoatNormal",
        "sheenColor",
        "sheenRoughness",
        "specular",
        "specularColor",
        "transmission",
        "thickness",
        "iridescence",
        "iridescenceThickness",
        "anisotropy",
        "diffuseTransmission",
        "diffuseTransmissionColor",
        "diffuse",
        "specularGlossiness"
      ]
    }
  }
};

/** The full schema for the operations registered now. */
export function buildSchema(): JsonSchema {
  const schema = structuredClone(BASE) as { definitions: { rule: { properties: Record<string, unknown> } } } & JsonSchema;
  const core = schema.definitions.rule.properties;
  const properties: Record<string, unknown> = {};
  for (const key of CORE_BEFORE_OPS) properties[key] = core[key];
  for (const op of listOperations()) properties[op.key] = structuredClone(op.schema);
  for (const [key, value] of Object.entries(core)) if (!(key in properties)) properties[key] = value;
  schema.definitions.rule.properties = properties;
  return schema;
}

/** The schema file's text (2-space JSON, trailing newline). */
export function schemaText(): string {
  return JSON.stringify(buildSchema(), null, 2) + '\n';
}
