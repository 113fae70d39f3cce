/// The OpenAPI 3 document of the API, served at `GET /openapi.json`. Generated from docs/openapi.json by
/// `make openapi`; a test checks the two are the same and that every route is documented.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "siprecd API",
    "version": "0.1.0",
    "description": "HTTP API of the siprecd SIPREC recorder: recordings, live events, the device API (start/stop by call key), runtime control and cloud commands. Authentication follows [api] auth: \"jwt\" (Bearer tokens; Basic users also on the device API), \"basic\" (Basic users everywhere) or \"none\" (loopback only; nothing is checked). A caller confined to one tenant (SIP domain) sees only that tenant: another tenant's recording is 404, never 403. Errors are {\"error\", \"status\"} unless noted (docs/api.md)."
  },
  "security": [
    {
      "bearerAuth": []
    },
    {
      "basicAuth": []
    }
  ],
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
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "description": "?domain= is not a domain name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        },
        "security": [
          {},
          {
            "bearerAuth": []
          },
          {
            "basicAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/Domain"
          }
        ]
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
          },
          "400": {
            "description": "?domain= given: metrics cannot be narrowed to a tenant",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "basicAuth": []
          }
        ],
        "description": "Box-wide figures (every tenant's calls): with authentication on it wants an admin token (or a Basic user under auth = \"basic\"); a tenant token gets 403. `[api] publicMetrics = true` opens it to every caller. Open with auth = \"none\" and on the control socket."
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
        },
        "security": []
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
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "description": "?domain= is not a domain name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "description": "Every lifecycle event and alarm as it happens; a caller confined to a domain receives only that domain's events (device-wide alarms go to callers with access to every tenant). Bodies: schemas Event and Alarm.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Domain"
          }
        ]
      }
    },
    "/api/v1/status": {
      "get": {
        "operationId": "status",
        "summary": "What `siprecd status` shows: health, capture drops and the last warnings and errors",
        "description": "The health document plus RTP drop counters, refused SIP sources and the last 20 distinct warnings and errors siprecd logged (newest first; repeats folded with a count). Unlike /healthz it needs credentials, because log lines may name calls. A tenant token sees its own calls' counts and only the problems logged about its own calls (no drops, refused sources or box-wide problems); admin tokens and the control socket ([api] controlSocket, no credentials) see the whole box, or one tenant with ?domain=.",
        "responses": {
          "200": {
            "description": "Status",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                }
              }
            }
          },
          "401": {
            "description": "No or bad credentials",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "description": "?domain= is not a domain name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/Domain"
          }
        ]
      }
    },
    "/api/v1/recordings": {
      "get": {
        "operationId": "listRecordings",
        "summary": "Recordings, newest first (only the caller's domain when the caller is confined to one)",
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
            "description": "Only recordings in this state; another value is a 400 that lists these"
          },
          {
            "name": "callKey",
            "in": "query",
            "description": "Only recordings with this call key",
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/Domain"
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
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
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
          },
          {
            "$ref": "#/components/parameters/Domain"
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
            "description": "No such recording (or another tenant's)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "description": "?domain= is not a domain name",
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
          },
          {
            "$ref": "#/components/parameters/Domain"
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
            "description": "Another format",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "No such recording (or another tenant's)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The recording has not ended yet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "410": {
            "description": "The file is gone",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/sip/sipRecording": {
      "post": {
        "operationId": "sipRecording",
        "summary": "Device API: start or stop recording by call key (AudioCodes-style on-demand SIPREC)",
        "description": "Acts on live SIPREC sessions whose [[rules]] trigger is \"rest\". Start: sessions with the same callKey, and when given the same role and destination user; sessions already recording are listed as they are. A start for a call key no live call has yet is held for [api] pendingStart (default 30 s) and applied when the call arrives (202). Stop matches word for word: key only → sessions with that key and no role; key + role → that role; key + callRecordingDestUsername → no role and that destination user; key + role + user → both. Stop answers after the files are closed, each stopped recording emits RECORDINGREADY, and it also drops held starts for the key. A later start makes a new recording whose relatedRecordings lists the earlier ones. Under auth = \"jwt\" Basic credentials ([api] basicUsers) are accepted here as well.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SipRecordingRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Started or stopped",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SipRecordingResult"
                }
              }
            }
          },
          "202": {
            "description": "Start held: no live call has this call key yet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SipRecordingPending"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, naming the field",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "No session matches (for a start: none and [api] pendingStart = 0)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The recording could not start",
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
    "/api/v1/recordings/{recordingId}/{action}": {
      "post": {
        "operationId": "controlRecording",
        "summary": "Pause, resume, stop, cancel or set the directions of a recording in progress",
        "description": "pause / resume: the paused span stays on the timeline as silence. stop: ends the recording (state ready, RECORDINGREADY). cancel: ends it and deletes its files (state cancelled, RECORDINGCANCELLED reason cancelCommand). stop and cancel answer once the files are closed. directions: sets the inbound (caller) and outbound (callee) modes; a direction set to none cannot become active or inactive again; both none ends the recording (ready). The body is optional except for directions.",
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
            "name": "action",
            "in": "path",
            "required": true,
            "description": "Unknown actions are answered 404. delete removes a finished recording from the temporary store (state deleted, RECORDINGDELETED; 409 while it is in progress, 404 for an unknown id)",
            "schema": {
              "type": "string",
              "enum": [
                "pause",
                "resume",
                "stop",
                "cancel",
                "directions",
                "delete"
              ]
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ControlRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Acknowledged: the state after the request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ControlAck"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, naming the field",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "No such recording (or another tenant's), or no such action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "Wrong state (already paused or recording, or no longer in progress; with recordingId and state), or an impossible direction transition",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StateConflict"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/calls/{callKey}/{action}": {
      "post": {
        "operationId": "controlCall",
        "summary": "The same actions on every recording in progress with this call key",
        "description": "pause / resume: the paused span stays on the timeline as silence. stop: ends the recording (state ready, RECORDINGREADY). cancel: ends it and deletes its files (state cancelled, RECORDINGCANCELLED reason cancelCommand). stop and cancel answer once the files are closed. directions: sets the inbound (caller) and outbound (callee) modes; a direction set to none cannot become active or inactive again; both none ends the recording (ready). The body is optional except for directions. One result per recording, ordered by recording id.",
        "parameters": [
          {
            "name": "callKey",
            "in": "path",
            "required": true,
            "description": "Percent-encoded as needed",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "action",
            "in": "path",
            "required": true,
            "description": "Unknown actions are answered 404",
            "schema": {
              "type": "string",
              "enum": [
                "pause",
                "resume",
                "stop",
                "cancel",
                "directions"
              ]
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ControlRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "At least one recording acknowledged",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CallControlResult"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, naming the field",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "No recording in progress has this call key (in the caller's domain), or no such action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "Every recording refused the request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CallControlResult"
                }
              }
            }
          }
        }
      }
    },
    "/{domain}/stoprecording": {
      "post": {
        "operationId": "stopRecording",
        "summary": "Cloud command STOPRECORDING: stop a recording in progress (iotcomms-style)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the stopRecordingError alarm. Answers once the files are closed.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "Not in progress, or the domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          }
        }
      },
      "options": {
        "operationId": "stopRecordingOptions",
        "summary": "Allowed methods (CORS preflight); not authenticated",
        "security": [],
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Empty object",
            "headers": {
              "Allow": {
                "description": "POST, OPTIONS",
                "schema": {
                  "type": "string"
                }
              }
            },
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
    "/{domain}/cancelrecording": {
      "post": {
        "operationId": "cancelRecording",
        "summary": "Cloud command CANCELRECORDING: cancel (files deleted) a recording in progress (iotcomms-style)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the cancelRecordingError alarm. Answers once the files are closed.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "Not in progress, or the domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          }
        }
      },
      "options": {
        "operationId": "cancelRecordingOptions",
        "summary": "Allowed methods (CORS preflight); not authenticated",
        "security": [],
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Empty object",
            "headers": {
              "Allow": {
                "description": "POST, OPTIONS",
                "schema": {
                  "type": "string"
                }
              }
            },
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
    "/{domain}/deleterecording": {
      "post": {
        "operationId": "deleteRecording",
        "summary": "Cloud command DELETERECORDING: remove a finished recording from the temporary store (iotcomms-style)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the deleteRecordingError alarm. Answered at once with {\"success\": true}; the outcome is the event RECORDINGDELETED (state deleted, files removed) or DELETERECORDINGFAILED with reason (plus the deleteRecordingError alarm). A recording still in progress is refused (409).",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGDELETED or DELETERECORDINGFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "The recording is still in progress (stop or cancel it first)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          }
        }
      },
      "options": {
        "operationId": "deleteRecordingOptions",
        "summary": "Allowed methods (CORS preflight); not authenticated",
        "security": [],
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Empty object",
            "headers": {
              "Allow": {
                "description": "POST, OPTIONS",
                "schema": {
                  "type": "string"
                }
              }
            },
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
    "/{domain}/storerecording": {
      "post": {
        "operationId": "storeRecording",
        "summary": "Cloud command STORERECORDING: encode a finished recording, optionally trimmed and masked, into a bucket (iotcomms-style)",
        "description": "replyId must be the one siprecd issued for this recording and domain; otherwise 400 and the storeRecordingError alarm. Answered at once with {\"success\": true}; the outcome is RECORDINGSTORED {destinationBucket, fileName} (state stored; the temporary files stay until DELETERECORDING or expiry) or STORERECORDINGFAILED {reason} plus the storeRecordingError alarm (unknown bucket, bad fileName, times outside the recording, file already in the bucket, recording not ready, unknown or disallowed encryption key, s3 bucket (not available yet)). Trim and masks are sample-exact on the lossless master; the file is encoded once, as MP3 (caller left, callee right) or WAV (every master channel) by its extension. Times are seconds from the recording's start (fractions allowed), or Unix milliseconds with absoluteTimes. Default fileName <yyMMdd>-<recordingId>.mp3.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StoreCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGSTORED or STORERECORDINGFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "The recording is still in progress (stop or cancel it first)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          }
        }
      },
      "options": {
        "operationId": "storeRecordingOptions",
        "summary": "Allowed methods (CORS preflight); not authenticated",
        "security": [],
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Empty object",
            "headers": {
              "Allow": {
                "description": "POST, OPTIONS",
                "schema": {
                  "type": "string"
                }
              }
            },
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
    "/api/v1/{domain}/stoprecording": {
      "post": {
        "operationId": "stopRecordingV1",
        "summary": "Cloud command STOPRECORDING: stop a recording in progress (iotcomms-style) (same as /{domain}/stoprecording)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the stopRecordingError alarm. Answers once the files are closed.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "Not in progress, or the domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/{domain}/cancelrecording": {
      "post": {
        "operationId": "cancelRecordingV1",
        "summary": "Cloud command CANCELRECORDING: cancel (files deleted) a recording in progress (iotcomms-style) (same as /{domain}/cancelrecording)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the cancelRecordingError alarm. Answers once the files are closed.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "Not in progress, or the domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/{domain}/storerecording": {
      "post": {
        "operationId": "storeRecordingV1",
        "summary": "Cloud command STORERECORDING: encode a finished recording, optionally trimmed and masked, into a bucket (iotcomms-style) (same as /{domain}/storerecording)",
        "description": "replyId must be the one siprecd issued for this recording and domain; otherwise 400 and the storeRecordingError alarm. Answered at once with {\"success\": true}; the outcome is RECORDINGSTORED {destinationBucket, fileName} (state stored; the temporary files stay until DELETERECORDING or expiry) or STORERECORDINGFAILED {reason} plus the storeRecordingError alarm (unknown bucket, bad fileName, times outside the recording, file already in the bucket, recording not ready, unknown or disallowed encryption key, s3 bucket (not available yet)). Trim and masks are sample-exact on the lossless master; the file is encoded once, as MP3 (caller left, callee right) or WAV (every master channel) by its extension. Times are seconds from the recording's start (fractions allowed), or Unix milliseconds with absoluteTimes. Default fileName <yyMMdd>-<recordingId>.mp3.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StoreCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGSTORED or STORERECORDINGFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "The recording is still in progress (stop or cancel it first)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/{domain}/deleterecording": {
      "post": {
        "operationId": "deleteRecordingV1",
        "summary": "Cloud command DELETERECORDING: remove a finished recording from the temporary store (iotcomms-style) (same as /{domain}/deleterecording)",
        "description": "replyId must be the one siprecd issued in the recording's events for this recording and domain; otherwise 400 and the deleteRecordingError alarm. Answered at once with {\"success\": true}; the outcome is the event RECORDINGDELETED (state deleted, files removed) or DELETERECORDINGFAILED with reason (plus the deleteRecordingError alarm). A recording still in progress is refused (409).",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CloudCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGDELETED or DELETERECORDINGFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "The recording is still in progress (stop or cancel it first)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          }
        }
      }
    },
    "/{domain}/mergerecordings": {
      "post": {
        "operationId": "mergeRecordings",
        "summary": "Cloud command MERGERECORDINGS: several ready recordings of one call on one timeline, into a bucket",
        "description": "toMerge lists 2–50 {recordingId, startTime (Unix ms), conferenceSegments?: [{startTime, endTime}]} in any order; they are placed by startTime and mixed to stereo (caller left, callee right); inside a conference segment only the recording that started first is used. replyId may be that of any of them (400 \"recordingId does not match eventId\" otherwise); 409 while one is in progress. Answered at once; the outcome is RECORDINGSMERGED {destinationBucket, fileName, mergedRecordings} or MERGERECORDINGSFAILED {reason}, both reported on the recording that started first. Default fileName <yyMMdd>-<first recordingId>-merged.mp3; .wav gives a lossless stereo file; encryptionKey as for STORERECORDING.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/MergeCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGSMERGED or MERGERECORDINGSFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "A recording to merge is still in progress",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          }
        }
      },
      "options": {
        "operationId": "mergeRecordingsOptions",
        "summary": "Allowed methods (CORS preflight); not authenticated",
        "security": [],
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Empty object",
            "headers": {
              "Allow": {
                "description": "POST, OPTIONS",
                "schema": {
                  "type": "string"
                }
              }
            },
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
    "/api/v1/{domain}/mergerecordings": {
      "post": {
        "operationId": "mergeRecordingsV1",
        "summary": "Cloud command MERGERECORDINGS: several ready recordings of one call on one timeline, into a bucket (same as /{domain}/mergerecordings)",
        "description": "toMerge lists 2–50 {recordingId, startTime (Unix ms), conferenceSegments?: [{startTime, endTime}]} in any order; they are placed by startTime and mixed to stereo (caller left, callee right); inside a conference segment only the recording that started first is used. replyId may be that of any of them (400 \"recordingId does not match eventId\" otherwise); 409 while one is in progress. Answered at once; the outcome is RECORDINGSMERGED {destinationBucket, fileName, mergedRecordings} or MERGERECORDINGSFAILED {reason}, both reported on the recording that started first. Default fileName <yyMMdd>-<first recordingId>-merged.mp3; .wav gives a lossless stereo file; encryptionKey as for STORERECORDING.",
        "parameters": [
          {
            "name": "domain",
            "in": "path",
            "required": true,
            "description": "The tenant (SIP domain) of the recording",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/MergeCommand"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Accepted; the outcome follows as RECORDINGSMERGED or MERGERECORDINGSFAILED",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
                }
              }
            }
          },
          "400": {
            "description": "replyId not issued for this recording and domain (\"recordingId does not match eventId\"), or an invalid body ({error, field, status})",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/FieldError"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The domain is not the caller's",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/CloudResult"
                    },
                    {
                      "$ref": "#/components/schemas/Error"
                    }
                  ]
                }
              }
            }
          },
          "409": {
            "description": "A recording to merge is still in progress",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CloudResult"
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
          },
          "sessions": {
            "type": "integer",
            "description": "SIP recording sessions (with or without a recording in progress)"
          },
          "uptimeSeconds": {
            "type": "integer"
          },
          "capture": {
            "type": "string",
            "enum": [
              "pcap",
              "socket"
            ],
            "description": "How RTP is captured"
          },
          "disk": {
            "type": "object",
            "properties": {
              "freeBytes": {
                "type": "integer"
              },
              "minFreeBytes": {
                "type": "integer"
              },
              "low": {
                "type": "boolean"
              }
            },
            "description": "Free space of the data directory's file system; below minFreeBytes new sessions are refused"
          },
          "domain": {
            "type": "string",
            "description": "The tenant this view is limited to (tenant tokens, or ?domain=)"
          }
        },
        "required": [
          "status"
        ],
        "description": "What the caller may see: without credentials (authentication on) only `status`; a tenant token its own `activeRecordings`, `sessions` and `domain` (no box-wide figures); admin tokens, the control socket and `auth = \"none\"` everything."
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
          "replyId",
          "state",
          "indicator",
          "fileName",
          "sipRecCallId",
          "sessionId",
          "groupId",
          "calledParty",
          "domain",
          "sourceAddress",
          "callKey",
          "originalCallId",
          "ucid",
          "role",
          "startTime",
          "endTime",
          "durationMs",
          "warnings",
          "reason",
          "sampleRate",
          "participants",
          "meta",
          "files"
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
            ],
            "description": "recording or paused during the call; then ready (in the temporary store), stored, failed, cancelled, deleted or expired. pending is part of the vocabulary and not used: a recording starts as recording"
          },
          "indicator": {
            "type": "string",
            "enum": [
              "On",
              "Paused",
              "Off"
            ]
          },
          "fileName": {
            "type": "string",
            "nullable": true,
            "description": "Base name of the MP3"
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
            "type": "integer",
            "enum": [
              8000,
              16000,
              48000
            ],
            "description": "The rate of the master and the MP3 (samples a second): 8000, or 16000 when a stream's codec is wideband ([media] masterRate). Every ...Sample position is at this rate."
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
                  "type": "integer",
                  "nullable": true
                },
                "reason": {
                  "type": "string",
                  "enum": [
                    "paused",
                    "inactive",
                    "muted"
                  ],
                  "description": "paused: API pause; inactive: the SRC holds every stream (a=inactive, a=recvonly, 0.0.0.0, port 0); muted: both directions inactive"
                },
                "by": {
                  "type": "string",
                  "nullable": true,
                  "description": "Who asked for an API pause (requestedBy)"
                }
              }
            }
          },
          "holds": {
            "type": "array",
            "description": "Spans in which the SRC held one stream (also in RECORDINGREADY)",
            "items": {
              "type": "object",
              "properties": {
                "label": {
                  "type": "string",
                  "nullable": true
                },
                "mLineIndex": {
                  "type": "integer"
                },
                "fromSample": {
                  "type": "integer"
                },
                "toSample": {
                  "type": "integer",
                  "nullable": true
                },
                "reason": {
                  "type": "string",
                  "enum": [
                    "inactive",
                    "recvonly",
                    "nullAddress",
                    "portZero"
                  ],
                  "description": "inactive / recvonly: the m-line's direction; nullAddress: c=IN IP4 0.0.0.0 (RFC 2543 hold); portZero: port 0 in a re-offer"
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
                  "type": "object",
                  "properties": {
                    "mLineIndex": {
                      "type": "integer"
                    },
                    "label": {
                      "type": "string",
                      "nullable": true
                    },
                    "role": {
                      "type": "string",
                      "enum": [
                        "caller",
                        "callee"
                      ]
                    },
                    "participantId": {
                      "type": "string",
                      "nullable": true
                    },
                    "aor": {
                      "type": "string",
                      "nullable": true
                    }
                  }
                }
              }
            }
          },
          "reception": {
            "type": "array",
            "description": "Per stream: what arrived and what could not be recorded",
            "items": {
              "type": "object",
              "properties": {
                "label": {
                  "type": "string",
                  "nullable": true
                },
                "overflows": {
                  "type": "integer"
                },
                "malformed": {
                  "type": "integer"
                },
                "unknownPayload": {
                  "type": "integer"
                },
                "discardedWhilePaused": {
                  "type": "integer"
                },
                "comfortNoise": {
                  "type": "integer"
                },
                "concealedSamples": {
                  "type": "integer",
                  "description": "Samples (at sampleRate) of lost packets filled by the decoder's own concealment ([media] concealment = \"codec\"); 0 under the default, where loss stays silent."
                },
                "resynchronisations": {
                  "type": "integer"
                },
                "ssrcChanges": {
                  "type": "integer"
                },
                "foreignSource": {
                  "type": "integer"
                },
                "sourceChanges": {
                  "type": "integer"
                },
                "dtmfDropped": {
                  "type": "integer"
                },
                "srtp": {
                  "type": "string",
                  "nullable": true,
                  "description": "The SRTP suite the stream was received in (AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM); null for plain RTP."
                },
                "authFailed": {
                  "type": "integer",
                  "description": "SRTP/SRTCP packets whose authentication tag did not verify (a wrong key, corruption, forgery): not recorded."
                },
                "replayed": {
                  "type": "integer",
                  "description": "SRTP/SRTCP packets refused by the replay check: not recorded."
                },
                "srtcpPackets": {
                  "type": "integer",
                  "description": "SRTCP packets (multiplexed on the RTP port) that authenticated."
                },
                "undecrypted": {
                  "type": "integer",
                  "description": "SRTP packets with no key to decrypt them (passive mode or replay, where the keys were not visible: warning srtpKeysUnavailable): not recorded."
                },
                "codecs": {
                  "type": "array",
                  "items": {
                    "type": "string",
                    "enum": [
                      "PCMU",
                      "PCMA",
                      "G729",
                      "G726-16",
                      "G726-24",
                      "G726-32",
                      "G726-40"
                    ]
                  }
                },
                "unknownPayloadTypes": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "payloadType": {
                        "type": "integer"
                      },
                      "encoding": {
                        "type": "string",
                        "nullable": true
                      },
                      "negotiated": {
                        "type": "boolean"
                      },
                      "offered": {
                        "type": "boolean"
                      },
                      "packets": {
                        "type": "integer"
                      }
                    }
                  }
                }
              }
            }
          },
          "metadataError": {
            "type": "string",
            "nullable": true
          },
          "trigger": {
            "type": "string",
            "enum": [
              "always",
              "rest",
              "newCall"
            ],
            "description": "The [[rules]] trigger that started it"
          },
          "requestedBy": {
            "type": "string",
            "nullable": true,
            "description": "Who asked for the recording (device API start)"
          },
          "headers": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Header"
            },
            "description": "Headers given with the device API start"
          },
          "relatedRecordings": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "uuid"
            },
            "description": "Earlier recordings of the same SIP session (ids); RECORDINGREADY carries the full relatedRecordings objects"
          },
          "directions": {
            "$ref": "#/components/schemas/Directions"
          },
          "directionSpans": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/DirectionSpan"
            }
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
          },
          "conferenceSegments": {
            "type": "array",
            "description": "Spans during which the metadata showed three or more participants associated",
            "items": {
              "type": "object",
              "properties": {
                "startTime": {
                  "type": "integer",
                  "description": "Unix ms"
                },
                "endTime": {
                  "type": "integer",
                  "nullable": true
                },
                "aor": {
                  "type": "string",
                  "nullable": true,
                  "description": "User part of the participant who made it a conference"
                },
                "state": {
                  "type": "string",
                  "enum": [
                    "active",
                    "stopped"
                  ]
                }
              }
            }
          },
          "replyId": {
            "type": "string",
            "nullable": true,
            "description": "The replyId its events carry; the cloud commands (STORERECORDING, DELETERECORDING, …) take it"
          },
          "originalCallId": {
            "type": "string",
            "nullable": true,
            "description": "The recorded call's own SIP Call-ID from the metadata (docs/sip.md, \"The original call's identity\")"
          },
          "ucid": {
            "type": "string",
            "nullable": true,
            "description": "The Avaya UCID of the recorded call, from the metadata"
          },
          "metadataSchema": {
            "type": "string",
            "nullable": true,
            "enum": [
              "rfc7865",
              "draft-ietf-siprec-metadata"
            ],
            "description": "The schema of the metadata: RFC 7865 <recording>, or the pre-RFC draft's <recording_metadata>"
          },
          "metadataRepairs": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "What had to be repaired to read the metadata (warning metadataRepaired)"
          },
          "participantHistory": {
            "type": "array",
            "description": "Every participant the metadata versions showed, with when siprecd saw them join and leave (Unix ms)",
            "items": {
              "type": "object",
              "properties": {
                "participantId": {
                  "type": "string"
                },
                "aor": {
                  "type": "string",
                  "nullable": true
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
                },
                "joinedAt": {
                  "type": "integer"
                },
                "leftAt": {
                  "type": "integer",
                  "nullable": true
                }
              }
            }
          }
        }
      },
      "FieldError": {
        "type": "object",
        "required": [
          "error",
          "status"
        ],
        "properties": {
          "error": {
            "type": "string"
          },
          "field": {
            "type": "string",
            "nullable": true,
            "description": "The offending field"
          },
          "status": {
            "type": "integer",
            "enum": [
              400
            ]
          }
        }
      },
      "Header": {
        "type": "object",
        "required": [
          "name",
          "value"
        ],
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 64,
            "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            "description": "An HTTP token"
          },
          "value": {
            "type": "string",
            "maxLength": 256,
            "description": "No control characters (C0, DEL or C1)"
          }
        }
      },
      "Directions": {
        "type": "object",
        "description": "inbound = caller side, outbound = callee side; inactive = muted (silence), none = no longer recorded",
        "properties": {
          "inbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          },
          "outbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          }
        }
      },
      "DirectionSpan": {
        "type": "object",
        "description": "A span in which a direction was muted (inactive) or no longer recorded (none)",
        "properties": {
          "direction": {
            "type": "string",
            "enum": [
              "inbound",
              "outbound"
            ]
          },
          "mode": {
            "type": "string",
            "enum": [
              "inactive",
              "none"
            ]
          },
          "fromSample": {
            "type": "integer"
          },
          "toSample": {
            "type": "integer",
            "nullable": true
          }
        }
      },
      "SipRecordingRequest": {
        "type": "object",
        "required": [
          "command",
          "callKey"
        ],
        "description": "Unknown fields are ignored; empty strings count as absent.",
        "properties": {
          "command": {
            "type": "string",
            "enum": [
              "start",
              "stop"
            ]
          },
          "callKey": {
            "type": "string",
            "maxLength": 256
          },
          "role": {
            "type": "string",
            "maxLength": 20,
            "description": "Matched against the [[rules]] role"
          },
          "callRecordingDestUsername": {
            "type": "string",
            "maxLength": 60,
            "description": "Matched against the user part of the SIPREC INVITE Request-URI"
          },
          "headers": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "$ref": "#/components/schemas/Header"
            },
            "description": "start only; kept with the recording and echoed in its events"
          },
          "requestedBy": {
            "type": "string",
            "maxLength": 64,
            "description": "siprecd extension: who asked (e.g. a supervisor)"
          }
        }
      },
      "SipRecordingResult": {
        "type": "object",
        "required": [
          "result",
          "callKey",
          "recordingIds"
        ],
        "properties": {
          "result": {
            "type": "string",
            "enum": [
              "started",
              "stopped"
            ]
          },
          "callKey": {
            "type": "string"
          },
          "recordingIds": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "uuid"
            }
          }
        }
      },
      "SipRecordingPending": {
        "type": "object",
        "required": [
          "result",
          "callKey",
          "recordingIds",
          "pendingForSeconds"
        ],
        "properties": {
          "result": {
            "type": "string",
            "enum": [
              "pending"
            ]
          },
          "callKey": {
            "type": "string"
          },
          "recordingIds": {
            "type": "array",
            "maxItems": 0,
            "items": {
              "type": "string"
            }
          },
          "pendingForSeconds": {
            "type": "number",
            "description": "[api] pendingStart"
          }
        }
      },
      "ControlRequest": {
        "type": "object",
        "description": "Optional except for directions, which needs inbound and/or outbound (omitted = nochange).",
        "properties": {
          "requestedBy": {
            "type": "string",
            "maxLength": 64,
            "description": "Who asked; defaults to the authenticated user"
          },
          "inbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none",
              "nochange"
            ]
          },
          "outbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none",
              "nochange"
            ]
          }
        }
      },
      "ControlAck": {
        "type": "object",
        "required": [
          "result",
          "recordingId",
          "state",
          "recordingState",
          "inbound",
          "outbound"
        ],
        "properties": {
          "result": {
            "type": "string",
            "enum": [
              "ack"
            ]
          },
          "recordingId": {
            "type": "string",
            "format": "uuid"
          },
          "state": {
            "type": "string",
            "description": "State after the request (ready / cancelled after stop / cancel)"
          },
          "recordingState": {
            "type": "string",
            "enum": [
              "On",
              "Paused",
              "Off"
            ]
          },
          "fileName": {
            "type": "string",
            "nullable": true
          },
          "inbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          },
          "outbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          }
        }
      },
      "StateConflict": {
        "type": "object",
        "required": [
          "error",
          "recordingId",
          "status"
        ],
        "description": "state is given when the recording is no longer in progress; result \"error\" when a recording in progress refused the request (already paused or recording, impossible direction transition).",
        "properties": {
          "result": {
            "type": "string",
            "enum": [
              "error"
            ]
          },
          "error": {
            "type": "string"
          },
          "recordingId": {
            "type": "string"
          },
          "state": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "enum": [
              409
            ]
          }
        }
      },
      "ControlError": {
        "type": "object",
        "required": [
          "result",
          "recordingId",
          "error",
          "status"
        ],
        "properties": {
          "result": {
            "type": "string",
            "enum": [
              "error"
            ]
          },
          "recordingId": {
            "type": "string",
            "format": "uuid"
          },
          "error": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          }
        }
      },
      "CallControlResult": {
        "type": "object",
        "required": [
          "callKey",
          "results"
        ],
        "properties": {
          "callKey": {
            "type": "string"
          },
          "results": {
            "type": "array",
            "items": {
              "oneOf": [
                {
                  "$ref": "#/components/schemas/ControlAck"
                },
                {
                  "$ref": "#/components/schemas/ControlError"
                }
              ]
            }
          }
        }
      },
      "CloudCommand": {
        "type": "object",
        "required": [
          "recordingId",
          "replyId"
        ],
        "properties": {
          "method": {
            "type": "string",
            "enum": [
              "STOPRECORDING",
              "CANCELRECORDING"
            ],
            "description": "Must match the path when given"
          },
          "recordingId": {
            "type": "string",
            "maxLength": 64
          },
          "replyId": {
            "type": "string",
            "description": "From the recording's events"
          }
        }
      },
      "CloudResult": {
        "type": "object",
        "required": [
          "success"
        ],
        "properties": {
          "success": {
            "type": "boolean"
          },
          "error": {
            "type": "string"
          }
        }
      },
      "Event": {
        "type": "object",
        "description": "A lifecycle event, POSTed to {base}/<path> (path = the event name in lower camel case) and sent on /api/v1/events. headers, requestedBy and relatedRecordings appear when present.",
        "required": [
          "event",
          "eventId",
          "calledParty",
          "domain",
          "recordingId",
          "replyId",
          "sipRecCallId",
          "recordingState"
        ],
        "properties": {
          "event": {
            "type": "string",
            "enum": [
              "RECORDINGSTARTED",
              "RECORDINGREADY",
              "RECORDINGFAILED",
              "RECORDINGCANCELLED",
              "RECORDINGPAUSED",
              "RECORDINGRESUMED",
              "RECORDINGUPDATED",
              "RECORDINGUPDATEFAILED"
            ]
          },
          "eventId": {
            "type": "string"
          },
          "calledParty": {
            "type": "string"
          },
          "domain": {
            "type": "string"
          },
          "recordingId": {
            "type": "string",
            "format": "uuid"
          },
          "replyId": {
            "type": "string"
          },
          "sipRecCallId": {
            "type": "string"
          },
          "callKey": {
            "type": "string",
            "nullable": true
          },
          "originalCallId": {
            "type": "string",
            "nullable": true,
            "description": "The recorded call's own SIP Call-ID, from the metadata"
          },
          "ucid": {
            "type": "string",
            "nullable": true,
            "description": "The recorded call's Avaya UCID, from the metadata"
          },
          "role": {
            "type": "string",
            "nullable": true
          },
          "recordingState": {
            "type": "string",
            "enum": [
              "On",
              "Paused",
              "Off"
            ]
          },
          "fileName": {
            "type": "string",
            "nullable": true
          },
          "inbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          },
          "outbound": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "none"
            ]
          },
          "headers": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Header"
            }
          },
          "requestedBy": {
            "type": "string"
          },
          "relatedRecordings": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "uuid"
            }
          },
          "metaData": {
            "type": "string",
            "nullable": true,
            "description": "RECORDINGSTARTED"
          },
          "meta": {
            "type": "string",
            "description": "RECORDINGREADY"
          },
          "warning": {
            "type": "string",
            "description": "RECORDINGREADY: rtpTimeout"
          },
          "reason": {
            "type": "string",
            "nullable": true,
            "description": "RECORDINGFAILED, RECORDINGCANCELLED, RECORDINGUPDATEFAILED"
          },
          "cause": {
            "type": "string",
            "description": "RECORDINGPAUSED, RECORDINGRESUMED: pause, resume, directions or sdp"
          },
          "by": {
            "type": "string",
            "nullable": true,
            "description": "Who asked (paused, resumed, updated, updateFailed)"
          },
          "holds": {
            "type": "array",
            "description": "RECORDINGREADY: spans in which the SRC held one stream, as in the recording",
            "items": {
              "type": "object",
              "properties": {
                "label": {
                  "type": "string",
                  "nullable": true
                },
                "mLineIndex": {
                  "type": "integer"
                },
                "fromSample": {
                  "type": "integer"
                },
                "toSample": {
                  "type": "integer",
                  "nullable": true
                },
                "reason": {
                  "type": "string",
                  "enum": [
                    "inactive",
                    "recvonly",
                    "nullAddress",
                    "portZero"
                  ]
                }
              }
            }
          },
          "conferenceSegments": {
            "type": "array",
            "description": "RECORDINGREADY: spans with three or more participants (Unix ms)",
            "items": {
              "type": "object",
              "properties": {
                "startTime": {
                  "type": "integer"
                },
                "endTime": {
                  "type": "integer",
                  "nullable": true
                },
                "aor": {
                  "type": "string",
                  "nullable": true
                },
                "state": {
                  "type": "string",
                  "enum": [
                    "active",
                    "stopped"
                  ]
                }
              }
            }
          }
        }
      },
      "Alarm": {
        "type": "object",
        "required": [
          "type",
          "eventId"
        ],
        "description": "POSTed to [webhooks] alarms (default {base}/alarms). Fields besides type and eventId depend on type: recordingFailed {event: \"recordingFailed\", recordingId, domain, error}; stopRecordingError / cancelRecordingError {event: the command body as received, error}; updateRecordingError {recordingId, domain, error}; eventNotificationError {event: \"<EVENT> <eventId>\", error}; apiRequestError {method, requestUri, statusCode, statusMessage, recordingId}.",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "recordingFailed",
              "stopRecordingError",
              "cancelRecordingError",
              "updateRecordingError",
              "eventNotificationError",
              "apiRequestError"
            ]
          },
          "eventId": {
            "type": "string"
          },
          "event": {
            "type": "string"
          },
          "recordingId": {
            "type": "string",
            "nullable": true
          },
          "domain": {
            "type": "string"
          },
          "error": {
            "type": "string"
          },
          "method": {
            "type": "string"
          },
          "requestUri": {
            "type": "string"
          },
          "statusCode": {
            "type": "integer",
            "nullable": true
          },
          "statusMessage": {
            "type": "string"
          }
        }
      },
      "TimeSpan": {
        "type": "object",
        "required": [
          "from",
          "to"
        ],
        "properties": {
          "from": {
            "type": "number",
            "minimum": 0
          },
          "to": {
            "type": "number"
          }
        }
      },
      "StoreCommand": {
        "type": "object",
        "required": [
          "recordingId",
          "replyId",
          "destinationBucket"
        ],
        "properties": {
          "method": {
            "type": "string",
            "enum": [
              "STORERECORDING"
            ]
          },
          "recordingId": {
            "type": "string"
          },
          "replyId": {
            "type": "string"
          },
          "destinationBucket": {
            "type": "string",
            "description": "A [buckets.NAME] of the configuration"
          },
          "fileName": {
            "type": "string",
            "maxLength": 200,
            "description": "One path component ending in .mp3 or .wav; no leading dot, no control characters (C0, DEL, C1), no bidirectional-override or zero-width characters"
          },
          "encryptionKey": {
            "type": "string",
            "description": "A [keys] name, or with [storage] inlineKeys the base64 of a 256-bit key: the stored file is AES-256-GCM encrypted (container SRECENC1, see docs/api.md); siprecd decrypt gives it back"
          },
          "modificationParams": {
            "type": "object",
            "properties": {
              "absoluteTimes": {
                "type": "boolean",
                "default": false
              },
              "trim": {
                "$ref": "#/components/schemas/TimeSpan"
              },
              "mask": {
                "oneOf": [
                  {
                    "type": "object",
                    "properties": {
                      "caller": {
                        "type": "array",
                        "maxItems": 100,
                        "items": {
                          "$ref": "#/components/schemas/TimeSpan"
                        }
                      },
                      "callee": {
                        "type": "array",
                        "maxItems": 100,
                        "items": {
                          "$ref": "#/components/schemas/TimeSpan"
                        }
                      }
                    }
                  },
                  {
                    "type": "object",
                    "required": [
                      "from",
                      "to"
                    ],
                    "properties": {
                      "from": {
                        "type": "number"
                      },
                      "to": {
                        "type": "number"
                      },
                      "type": {
                        "type": "string",
                        "enum": [
                          "beep",
                          "silence"
                        ],
                        "default": "beep"
                      }
                    }
                  }
                ]
              }
            }
          }
        }
      },
      "MergeCommand": {
        "type": "object",
        "required": [
          "replyId",
          "destinationBucket",
          "toMerge"
        ],
        "properties": {
          "method": {
            "type": "string",
            "enum": [
              "MERGERECORDINGS"
            ]
          },
          "replyId": {
            "type": "string"
          },
          "destinationBucket": {
            "type": "string"
          },
          "fileName": {
            "type": "string",
            "maxLength": 200
          },
          "encryptionKey": {
            "type": "string"
          },
          "toMerge": {
            "type": "array",
            "minItems": 2,
            "maxItems": 50,
            "items": {
              "type": "object",
              "required": [
                "recordingId",
                "startTime"
              ],
              "properties": {
                "recordingId": {
                  "type": "string"
                },
                "startTime": {
                  "type": "integer",
                  "description": "Unix milliseconds"
                },
                "conferenceSegments": {
                  "type": "array",
                  "maxItems": 100,
                  "items": {
                    "type": "object",
                    "required": [
                      "startTime",
                      "endTime"
                    ],
                    "properties": {
                      "startTime": {
                        "type": "integer"
                      },
                      "endTime": {
                        "type": "integer"
                      }
                    }
                  }
                }
              }
            }
          }
        }
      },
      "Status": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Health"
          },
          {
            "type": "object",
            "required": [
              "lastErrors"
            ],
            "properties": {
              "drops": {
                "type": "object",
                "description": "RTP packets dropped since start, by cause (srtpAuthFailed/srtpReplayed: SRTP packets that failed authentication or the replay check; pcapKernel/pcapInterface with libpcap capture) — box-wide view only",
                "additionalProperties": {
                  "type": "integer"
                }
              },
              "rtpPackets": {
                "type": "integer",
                "description": "RTP datagrams that reached a recorded stream since start — box-wide view only"
              },
              "lastErrors": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": [
                    "time",
                    "level",
                    "message",
                    "count",
                    "fields"
                  ],
                  "properties": {
                    "time": {
                      "type": "string",
                      "format": "date-time",
                      "description": "Last time this message was logged"
                    },
                    "level": {
                      "type": "string",
                      "enum": [
                        "warning",
                        "error",
                        "critical"
                      ]
                    },
                    "message": {
                      "type": "string"
                    },
                    "count": {
                      "type": "integer",
                      "description": "How many times it was logged"
                    },
                    "fields": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "string"
                      },
                      "description": "Its structured fields (recording_id, call_id, …) the last time"
                    }
                  }
                }
              },
              "sipRefusedSources": {
                "type": "object",
                "additionalProperties": {
                  "type": "integer"
                },
                "description": "SIP messages refused per source address outside [sip] allow (the first 256 sources are told apart)"
              }
            }
          }
        ]
      }
    },
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "auth = \"jwt\". HS256 with [api] jwtSecret, or RS256/ES256 with the public key in [api] jwtPublicKeyFile; other algorithms are refused. exp is required (30 s leeway). Claim domain limits the token to one tenant; admin: true gives every tenant; a token needs one of the two."
      },
      "basicAuth": {
        "type": "http",
        "scheme": "basic",
        "description": "Users of [api] basicUsers: accepted on the device API (POST /api/v1/sip/sipRecording) under auth = \"jwt\", everywhere under auth = \"basic\". Basic users act on every tenant."
      }
    },
    "responses": {
      "Unauthorized": {
        "description": "Missing or invalid credentials",
        "headers": {
          "WWW-Authenticate": {
            "description": "Bearer, or Basic realm=\"siprecd\", Bearer on the device API",
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The credentials do not reach this data (another tenant, or box-wide figures for a tenant token)",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "parameters": {
      "Domain": {
        "name": "domain",
        "in": "query",
        "required": false,
        "description": "Narrow the read to one tenant (SIP domain, case-insensitive), to see what that tenant's token sees. A tenant token is always confined to its own domain; naming another is 403. Admin tokens and the control socket may name any.",
        "schema": {
          "type": "string",
          "maxLength": 253
        }
      }
    }
  }
}

"""#
}
