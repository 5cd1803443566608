// encdec tape page: every label in English and in Chinese (in the terms of
// the tutorial). T(key, ...args) gives the label in the page's language;
// {0}, {1} … stand for the arguments.
"use strict";
window.tape = window.tape || {};
(function () {
  const L = {
    en: {
      "title": "The backward pass, one node at a time: {0}",
      "intro": "Each box is one node of the tape, in the order it was recorded (#0 first): its operation, its name, its value, and its gradient dL/d(node) (red). Backward is one loop over the nodes from the last to the first; each node reads its gradient and adds (+=) its share into each input's. The loss L (#{0}) starts with gradient 1: dL/dL = 1, the seed. Press ◀ to run the loop one node at a time.",
      "step": "◀ step", "back": "▶ back", "reset": "reset", "lang": "中文",
      "where": "step {0} of {1}",
      "value": "value", "grad": "grad", "no_grad": "· (none yet)", "no_grad_needed": "(no gradient: a constant)",
      "received": "{0} contribution(s): {1}",
      "start.title": "Before the loop",
      "start.body": "Only the loss has a gradient: the seed 1. Leaves (blue) are the numbers we want gradients for; dashed boxes are constants (data), which get none.",
      "step.title": "Step {0} of {1}: node #{2} {3}",
      "step.reads": "The loop is at node #{0}. Every node that uses it comes later on the tape and has already been visited, so its gradient is complete:",
      "into": "+= into operand {0}, node #{1} {2}",
      "first": "This is the first contribution {0} receives, so its gradient is now this amount.",
      "sum": "{0} already held a gradient, from node {1}: it is used by more than one node. A change in it moves the loss along every path it takes, so the chain rule adds the paths' shares, and the tape does exactly that with +=: before + this = after.",
      "before_after": "before → after",
      "end.title": "The loop has ended",
      "end.body": "Every leaf now holds its final gradient: the numbers Tape::backward stores (tape.grad). Leaves and constants pass nothing on (they have no inputs), so the loop has nothing to do at them. A leaf that shows two or more contributions is used twice: its gradient is their sum.",
      "noop": "(nothing to add: every input is a constant)"
    },
    zh: {
      "title": "反向传播，一次一个节点：{0}",
      "intro": "每个方框是计算带（tape）上的一个节点，按记录的先后排列（#0 最早）：它的运算、名字、值，以及梯度 dL/d(节点)（红色）。反向传播就是从最后一个节点到第一个节点的一次循环；每个节点读出自己的梯度，再把它对每个输入的那一份累加（+=）进去。损失 L（#{0}）的梯度从 1 开始：dL/dL = 1，称为种子。按 ◀ 让循环一次走一个节点。",
      "step": "◀ 一步", "back": "▶ 退回", "reset": "重来", "lang": "English",
      "where": "第 {0} 步，共 {1} 步",
      "value": "值", "grad": "梯度", "no_grad": "·（尚无）", "no_grad_needed": "（常量，不求梯度）",
      "received": "收到 {0} 份：{1}",
      "start.title": "循环开始之前",
      "start.body": "只有损失有梯度，就是种子 1。蓝色的叶子是我们要求梯度的数；虚线框是常量（数据），不求梯度。",
      "step.title": "第 {0} 步，共 {1} 步：节点 #{2} {3}",
      "step.reads": "循环来到节点 #{0}。用到它的节点都记录在它后面，已经处理完了，所以它的梯度已经完整：",
      "into": "+= 累加到第 {0} 个输入，节点 #{1} {2}",
      "first": "这是 {0} 收到的第一份，所以它的梯度现在就等于这一份。",
      "sum": "{0} 已经有一份梯度，来自节点 {1}：它被不止一个节点用到。它一变，损失会沿着它参与的每一条路径跟着变，所以链式法则要把各条路径的贡献加起来，计算带用 += 做的正是这件事：之前 + 这一份 = 之后。",
      "before_after": "之前 → 之后",
      "end.title": "循环结束",
      "end.body": "每个叶子现在都拿到了最终的梯度，就是 Tape::backward 存下的数（tape.grad）。叶子和常量没有输入，无需往前传，循环在它们那里什么也不做。收到两份或更多的叶子被用了不止一次：它的梯度是这几份的和。",
      "noop": "（没有要累加的：所有输入都是常量）"
    }
  };
  const start = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  window.tape.lang = start;
  window.tape.T = function (key, ...args) {
    const text = (L[window.tape.lang] || L.en)[key] || L.en[key] || key;
    return text.replace(/\{(\d+)\}/g, (_, i) => String(args[+i]));
  };
})();
