/// The OpenAPI 3 document of the API, served at `GET /openapi.json`. Generated from docs/openapi.json by
/// `make openapi`; a test checks the two are the same and that every route is documented.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "siprecd API",
    "version": "0.1.0",
    "description": "Read API of the siprecd SIPREC recorder. Without authentication it listens on loopback only (docs/api.md)."
  },
  "paths": {
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Health of the running server",
        "responses": {
          "200": {
            "description": "Healthy",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "503": {
            "description": "Unhealthy",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus text exposition",
        "responses": {
          "200": {
            "description": "Metrics",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "responses": {
          "200": {
            "description": "OpenAPI 3 document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/events": {
      "get": {
        "operationId": "events",
        "summary": "Live lifecycle events (Server-Sent Events): each `data:` line is the JSON body the webhooks carry",
        "responses": {
          "200": {
            "description": "Event stream",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/recordings": {
      "get": {
        "operationId": "listRecordings",
        "summary": "Recordings, newest first",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            }
          },
          {
            "name": "offset",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "default": 0
            }
          },
          {
            "name": "state",
            "in": "query",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Recordings",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "recordings": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Recording"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/recordings/{recordingId}": {
      "get": {
        "operationId": "getRecording",
        "summary": "One recording",
        "parameters": [
          {
            "name": "recordingId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The recording",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Recording"
                }
              }
            }
          },
          "404": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/recordings/{recordingId}/audio": {
      "get": {
        "operationId": "getRecordingAudio",
        "summary": "The stereo MP3 or the lossless master",
        "parameters": [
          {
            "name": "recordingId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "mp3",
                "wav"
              ],
              "default": "mp3"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Audio file",
            "content": {
              "audio/mpeg": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              },
              "audio/wav": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "400": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "410": {
            "description": "Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error",
          "status"
        ],
        "properties": {
          "error": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          }
        }
      },
      "Health": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "activeRecordings": {
            "type": "integer"
          },
          "sipDialogs": {
            "type": "integer"
          }
        }
      },
      "Participant": {
        "type": "object",
        "properties": {
          "participantId": {
            "type": "string"
          },
          "aor": {
            "type": "string"
          },
          "name": {
            "type": "string",
            "nullable": true
          },
          "role": {
            "type": "string",
            "enum": [
              "caller",
              "callee",
              "other"
            ]
          }
        }
      },
      "RecordingPart": {
        "type": "object",
        "properties": {
          "label": {
            "type": "string",
            "nullable": true
          },
          "mLineIndex": {
            "type": "integer"
          },
          "ssrc": {
            "type": "integer",
            "nullable": true
          },
          "startTime": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "startSample": {
            "type": "integer",
            "nullable": true
          },
          "channel": {
            "type": "integer"
          },
          "role": {
            "type": "string"
          },
          "codec": {
            "type": "string",
            "nullable": true
          },
          "packets": {
            "type": "integer"
          },
          "lost": {
            "type": "integer"
          },
          "late": {
            "type": "integer"
          },
          "duplicates": {
            "type": "integer"
          }
        }
      },
      "Recording": {
        "type": "object",
        "required": [
          "recordingId",
          "state",
          "sipRecCallId"
        ],
        "properties": {
          "recordingId": {
            "type": "string",
            "format": "uuid"
          },
          "state": {
            "type": "string",
            "enum": [
              "pending",
              "recording",
              "paused",
              "ready",
              "stored",
              "deleted",
              "cancelled",
              "failed",
              "expired"
            ]
          },
          "indicator": {
            "type": "string",
            "enum": [
              "On",
              "Paused",
              "Off"
            ]
          },
          "sipRecCallId": {
            "type": "string"
          },
          "sessionId": {
            "type": "string",
            "nullable": true
          },
          "groupId": {
            "type": "string",
            "nullable": true
          },
          "calledParty": {
            "type": "string"
          },
          "domain": {
            "type": "string"
          },
          "sourceAddress": {
            "type": "string"
          },
          "callKey": {
            "type": "string",
            "nullable": true
          },
          "role": {
            "type": "string",
            "nullable": true
          },
          "startTime": {
            "type": "string",
            "format": "date-time"
          },
          "endTime": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "durationMs": {
            "type": "integer",
            "nullable": true
          },
          "warnings": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "reason": {
            "type": "string",
            "nullable": true
          },
          "sampleRate": {
            "type": "integer"
          },
          "participants": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Participant"
            }
          },
          "meta": {
            "type": "object",
            "properties": {
              "recordingsPartsInfo": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/RecordingPart"
                }
              }
            }
          },
          "pauses": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "fromSample": {
                  "type": "integer"
                },
                "toSample": {
                  "type": "integer"
                },
                "reason": {
                  "type": "string"
                }
              }
            }
          },
          "dtmf": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "label": {
                  "type": "string",
                  "nullable": true
                },
                "event": {
                  "type": "string"
                },
                "startSample": {
                  "type": "integer"
                },
                "durationSamples": {
                  "type": "integer"
                }
              }
            }
          },
          "channelAssignment": {
            "type": "object",
            "properties": {
              "reason": {
                "type": "string"
              },
              "streams": {
                "type": "array",
                "items": {
                  "type": "object"
                }
              }
            }
          },
          "reception": {
            "type": "array",
            "items": {
              "type": "object"
            }
          },
          "metadataError": {
            "type": "string",
            "nullable": true
          },
          "files": {
            "type": "object",
            "properties": {
              "wav": {
                "type": "string",
                "nullable": true
              },
              "mp3": {
                "type": "string",
                "nullable": true
              }
            }
          }
        }
      }
    }
  }
}

"""#
}
