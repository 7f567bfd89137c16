/**
 * The server's JSX is precompiled (deno.json `"jsx": "precompile"`): static markup is a string template made
 * at compile time, not a vnode per element, which halved the Layout's render (bench/page_render.tsx). The
 * island bundle keeps Preact's ordinary runtime (local/build.ts builds it with `"jsx": "react-jsx"`), which
 * the e2e tests' hydrated islands exercise.
 */
import { assert, assertEquals } from "@std/assert";
import { renderToString } from "preact-render-to-string";
import { EmptyState } from "../../components/ui/EmptyState.tsx";

Deno.test("[jsx] a server component's static markup is a precompiled template, rendered the same", () => {
  const vnode = EmptyState({ text: "<none & nothing>" }) as unknown as { props: Record<string, unknown> };
  assert(Array.isArray(vnode.props.tpl), "EmptyState's <p> was compiled to a vnode, not to a template");
  assertEquals(
    renderToString(vnode as never),
    `<p class="alert alert-info empty-state">&lt;none &amp; nothing></p>`,
  );
});
