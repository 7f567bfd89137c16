/** Browser entry: hydrates each server-rendered island with the props it was rendered with. */
import { h, hydrate } from "preact";
import { islands } from "./registry.ts";

for (const root of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = islands[root.dataset.island ?? ""];
  if (!component) continue;
  hydrate(h(component, JSON.parse(root.dataset.props ?? "{}")), root);
  root.dataset.hydrated = "true";
}
