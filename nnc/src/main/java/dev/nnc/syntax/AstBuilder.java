package dev.nnc.syntax;

import dev.nnc.diag.Pos;
import dev.nnc.diag.SourceFile;
import dev.nnc.syntax.antlr.NnParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns ANTLR's parse tree into the hand-written AST, one {@code createX} per rule. Runs only on a
 * tree without syntax errors, so every child a rule promises is there. No parse-tree type escapes.
 */
final class AstBuilder {

    private final SourceFile source;

    AstBuilder(SourceFile source) {
        this.source = source;
    }

    Program createProgram(NnParser.FileContext ctx) {
        List<Def> defs = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        for (NnParser.ItemContext item : ctx.item()) {
            if (item.modelDecl() != null) {
                models.add(createModel(item.modelDecl()));
            } else {
                defs.add(createDef(item.defDecl()));
            }
        }
        return new Program(source, defs, models);
    }

    private Model createModel(NnParser.ModelDeclContext ctx) {
        List<Stmt> stmts = new ArrayList<>();
        for (NnParser.StmtContext s : ctx.stmt()) {
            stmts.add(createStmt(s));
        }
        return new Model(ctx.name.getText(), stmts, pos(ctx.name));
    }

    private Def createDef(NnParser.DefDeclContext ctx) {
        List<String> params = new ArrayList<>();
        List<Pos> paramPos = new ArrayList<>();
        for (TerminalNode id : ctx.ID().subList(1, ctx.ID().size())) {
            params.add(id.getText());
            paramPos.add(pos(id.getSymbol()));
        }
        return new Def(ctx.name.getText(), params, paramPos, createExpr(ctx.expr()), pos(ctx.name));
    }

    private Stmt createStmt(NnParser.StmtContext ctx) {
        if (ctx instanceof NnParser.InputDeclContext c) {
            return new Stmt.Input(c.name.getText(), createShape(c.shape()), c.onehot == null ? null : pos(c.onehot),
                    pos(c.name));
        } else if (ctx instanceof NnParser.TargetDeclContext c) {
            return new Stmt.Target(c.name.getText(), createShape(c.shape()), c.onehot != null, pos(c.name));
        } else if (ctx instanceof NnParser.ParamDeclContext c) {
            return new Stmt.Param(c.name.getText(), createShape(c.shape()), createInit(c.init()), pos(c.name));
        } else if (ctx instanceof NnParser.ConstDeclContext c) {
            return new Stmt.Const(c.name.getText(), createExpr(c.expr()), pos(c.name));
        } else if (ctx instanceof NnParser.OutputDeclContext c) {
            return new Stmt.Output(c.name.getText(), pos(c.name));
        } else if (ctx instanceof NnParser.LossDeclContext c) {
            return new Stmt.Loss(createExpr(c.expr()), pos(c.start));
        } else if (ctx instanceof NnParser.BindDeclContext c) {
            return new Stmt.Bind(c.name.getText(), createExpr(c.expr()), pos(c.name));
        } else if (ctx instanceof NnParser.LocalDefDeclContext c) {
            Def def = createDef(c.defDecl());
            return new Stmt.LocalDef(def, def.pos());
        } else if (ctx instanceof NnParser.DataBlockContext c) {
            return new Stmt.Data(createSettings(c.setting()), pos(c.start));
        } else if (ctx instanceof NnParser.TrainBlockContext c) {
            return new Stmt.Train(createSettings(c.setting()), pos(c.start));
        }
        throw new IllegalStateException("no AST for statement " + ctx.getText());
    }

    private Stmt.ShapeSpec createShape(NnParser.ShapeContext ctx) {
        if (ctx == null) {
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        for (TerminalNode n : ctx.INT()) {
            dims.add(parseDim(n.getText()));
        }
        return new Stmt.ShapeSpec(dims, pos(ctx.start));
    }

    /** A dimension too large for an int is kept as -1 for the checker to report. */
    private static int parseDim(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Stmt.Init createInit(NnParser.InitContext ctx) {
        if (ctx == null) {
            return null;
        }
        return new Stmt.Init(ctx.op.getText().equals("~"), createExpr(ctx.expr()), pos(ctx.op));
    }

    private List<Stmt.Setting> createSettings(List<NnParser.SettingContext> settings) {
        List<Stmt.Setting> result = new ArrayList<>();
        for (NnParser.SettingContext s : settings) {
            result.add(new Stmt.Setting(s.key.getText(), createExpr(s.expr()), pos(s.key.start)));
        }
        return result;
    }

    Expr createExpr(NnParser.ExprContext ctx) {
        if (ctx.op == null) {
            return createMul(ctx.mulExpr());
        }
        Expr.BinaryOp op = ctx.op.getText().equals("+") ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
        return new Expr.Binary(op, createExpr(ctx.expr()), createMul(ctx.mulExpr()), pos(ctx.op));
    }

    private Expr createMul(NnParser.MulExprContext ctx) {
        if (ctx.op == null) {
            return createUnary(ctx.unary());
        }
        Expr.BinaryOp op = switch (ctx.op.getText()) {
            case "*" -> Expr.BinaryOp.MUL;
            case "/" -> Expr.BinaryOp.DIV;
            default -> Expr.BinaryOp.MATMUL;
        };
        return new Expr.Binary(op, createMul(ctx.mulExpr()), createUnary(ctx.unary()), pos(ctx.op));
    }

    private Expr createUnary(NnParser.UnaryContext ctx) {
        if (ctx.unary() != null) {
            return new Expr.Neg(createUnary(ctx.unary()), pos(ctx.start));
        }
        return createPower(ctx.power());
    }

    private Expr createPower(NnParser.PowerContext ctx) {
        Expr base = createPostfix(ctx.postfix());
        if (ctx.unary() == null) {
            return base;
        }
        Token caret = ((TerminalNode) ctx.getChild(1)).getSymbol();
        return new Expr.Binary(Expr.BinaryOp.POW, base, createUnary(ctx.unary()), pos(caret));
    }

    /** Transposes and indexes apply left to right: {@code W'[0]} is row 0 of {@code W'}. */
    private Expr createPostfix(NnParser.PostfixContext ctx) {
        Expr e = createPrimary(ctx.primary());
        for (int i = 1; i < ctx.getChildCount(); i++) {
            if (ctx.getChild(i) instanceof NnParser.IndexContext index) {
                List<Expr.Subscript> subscripts = new ArrayList<>();
                for (NnParser.SubscriptContext s : index.subscript()) {
                    subscripts.add(createSubscript(s));
                }
                e = new Expr.Index(e, subscripts, pos(index.start));
            } else {
                e = new Expr.Transpose(e, pos(((TerminalNode) ctx.getChild(i)).getSymbol()));
            }
        }
        return e;
    }

    private Expr.Subscript createSubscript(NnParser.SubscriptContext ctx) {
        if (ctx instanceof NnParser.PointSubscriptContext c) {
            return new Expr.Subscript(createExpr(c.at), null, null, pos(c.start));
        }
        NnParser.RangeSubscriptContext c = (NnParser.RangeSubscriptContext) ctx;
        return new Expr.Subscript(null, c.from == null ? null : createExpr(c.from), c.to == null ? null : createExpr(c.to),
                pos(c.start));
    }

    private Expr createPrimary(NnParser.PrimaryContext ctx) {
        if (ctx instanceof NnParser.NumberExprContext c) {
            String text = c.number.getText();
            return new Expr.Num(Double.parseDouble(text), text, pos(c.number));
        } else if (ctx instanceof NnParser.StringExprContext c) {
            String text = c.STRING().getText();
            return new Expr.Str(text.substring(1, text.length() - 1), pos(c.start));
        } else if (ctx instanceof NnParser.CallExprContext c) {
            List<Expr.Arg> args = new ArrayList<>();
            for (NnParser.ArgContext a : c.arg()) {
                args.add(new Expr.Arg(a.name == null ? null : a.name.getText(), createExpr(a.expr()), pos(a.start)));
            }
            return new Expr.Call(c.callee.getText(), args, pos(c.callee));
        } else if (ctx instanceof NnParser.RefExprContext c) {
            String name = c.field == null ? c.ref.getText() : c.ref.getText() + "." + c.field.getText();
            return new Expr.Ref(name, pos(c.ref));
        } else if (ctx instanceof NnParser.ParenExprContext c) {
            return createExpr(c.expr());
        } else if (ctx instanceof NnParser.TensorExprContext c) {
            List<Expr> elements = new ArrayList<>();
            for (NnParser.ExprContext e : c.expr()) {
                elements.add(createExpr(e));
            }
            return new Expr.Tensor(elements, pos(c.start));
        }
        throw new IllegalStateException("no AST for expression " + ((ParserRuleContext) ctx).getText());
    }

    static Pos pos(Token t) {
        return new Pos(t.getLine(), t.getCharPositionInLine() + 1);
    }
}
