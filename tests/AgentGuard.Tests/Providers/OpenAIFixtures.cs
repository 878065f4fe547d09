namespace AgentGuard.Tests.Providers;

/// <summary>Responses API and Chat Completions API bodies in the shape api.openai.com returns them.</summary>
internal static class OpenAIFixtures
{
    public const string ReasoningResponse = """
        {
          "id": "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41",
          "object": "response",
          "created_at": 1741476777,
          "status": "completed",
          "background": false,
          "error": null,
          "incomplete_details": null,
          "instructions": null,
          "max_output_tokens": 2048,
          "model": "o4-mini-2025-04-16",
          "output": [
            {
              "id": "rs_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41",
              "type": "reasoning",
              "summary": []
            },
            {
              "id": "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41",
              "type": "message",
              "status": "completed",
              "role": "assistant",
              "content": [
                { "type": "output_text", "text": "The invoice total is 1,284.50 EUR including VAT.", "annotations": [] }
              ]
            }
          ],
          "parallel_tool_calls": true,
          "previous_response_id": null,
          "reasoning": { "effort": "medium", "summary": null },
          "service_tier": "default",
          "store": true,
          "temperature": 1.0,
          "text": { "format": { "type": "text" } },
          "tool_choice": "auto",
          "tools": [],
          "top_p": 1.0,
          "truncation": "disabled",
          "usage": {
            "input_tokens": 5200,
            "input_tokens_details": { "cached_tokens": 4096 },
            "output_tokens": 900,
            "output_tokens_details": { "reasoning_tokens": 640 },
            "total_tokens": 6100
          },
          "user": null,
          "metadata": {}
        }
        """;

    public const string ReasoningResponseStream = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41","object":"response","created_at":1741476777,"status":"in_progress","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":2048,"model":"o4-mini-2025-04-16","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

        event: response.in_progress
        data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41","object":"response","created_at":1741476777,"status":"in_progress","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":2048,"model":"o4-mini-2025-04-16","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"reasoning","summary":[]}}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"rs_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"reasoning","summary":[]}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"message","status":"in_progress","role":"assistant","content":[]}}

        event: response.content_part.added
        data: {"type":"response.content_part.added","sequence_number":5,"item_id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":6,"item_id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","output_index":1,"content_index":0,"delta":"The invoice total is "}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","output_index":1,"content_index":0,"delta":"1,284.50 EUR including VAT."}

        event: response.output_text.done
        data: {"type":"response.output_text.done","sequence_number":8,"item_id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","output_index":1,"content_index":0,"text":"The invoice total is 1,284.50 EUR including VAT."}

        event: response.content_part.done
        data: {"type":"response.content_part.done","sequence_number":9,"item_id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","output_index":1,"content_index":0,"part":{"type":"output_text","text":"The invoice total is 1,284.50 EUR including VAT.","annotations":[]}}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":10,"output_index":1,"item":{"id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"The invoice total is 1,284.50 EUR including VAT.","annotations":[]}]}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":11,"response":{"id":"resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41","object":"response","created_at":1741476777,"status":"completed","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":2048,"model":"o4-mini-2025-04-16","output":[{"id":"rs_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"reasoning","summary":[]},{"id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"The invoice total is 1,284.50 EUR including VAT.","annotations":[]}]}],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":5200,"input_tokens_details":{"cached_tokens":4096},"output_tokens":900,"output_tokens_details":{"reasoning_tokens":640},"total_tokens":6100},"user":null,"metadata":{}}}


        """;

    public const string CachedReasoningChatCompletion = """
        {
          "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
          "object": "chat.completion",
          "created": 1741570283,
          "model": "o4-mini-2025-04-16",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "The invoice total is 1,284.50 EUR including VAT.",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 5200,
            "completion_tokens": 900,
            "total_tokens": 6100,
            "prompt_tokens_details": { "cached_tokens": 4096, "audio_tokens": 0 },
            "completion_tokens_details": {
              "reasoning_tokens": 640,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_50cad350e4"
        }
        """;
    public const string CachedReasoningChatCompletionStream = """
        data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"o4-mini-2025-04-16","service_tier":"default","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"o4-mini-2025-04-16","service_tier":"default","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"content":"The invoice total is "},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"o4-mini-2025-04-16","service_tier":"default","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"content":"1,284.50 EUR including VAT."},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"o4-mini-2025-04-16","service_tier":"default","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"o4-mini-2025-04-16","service_tier":"default","system_fingerprint":"fp_50cad350e4","choices":[],"usage":{"prompt_tokens":5200,"completion_tokens":900,"total_tokens":6100,"prompt_tokens_details":{"cached_tokens":4096,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":640,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

        data: [DONE]


        """;
}
