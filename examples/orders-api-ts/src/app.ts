import express from "express";
import { account } from "./routes/account.js";
import orders from "./routes/orders.js";
import { Order } from "./models/order.js";

const app = express();
app.use(express.json());

app.use("/api", orders);
app.use("/api", account);

// ruleid: AP101, AP104 (an operations shortcut nobody protected)
app.post("/internal/orders/purge", async (req, res) => {
  await Order.deleteMany({ status: "cancelled" });
  res.sendStatus(204);
});

// ok: AP101
app.get("/health", (req, res) => res.json({ ok: true }));

app.listen(3000);
